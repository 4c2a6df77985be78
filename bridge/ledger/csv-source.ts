import { isUtf8 } from 'node:buffer'
import fs from 'node:fs'
import { TextDecoder } from 'node:util'
import type { Bilingual, LedgerLine, QuarantineEntry } from '../domain/line'
import { canonicalHeader, KEPT_COLUMNS, keptRaw, KNOWN_COLUMNS, LINE_COLUMNS, PERSONAL_COLUMNS, REQUIRED_COLUMNS } from './columns'
import { TextRecord } from './csv-bytes'
import { CsvTokenizer, type CsvRecord } from './csv-tokenizer'
import { fastLine } from './fast-row'
import { normaliseCells, READ_COLUMNS, type ColumnIndex, type NormaliseContext, type RowPosition } from './normalise'
import { quoteValue } from './text'
import { BridgeError, EXIT } from '../errors'

export type LedgerItem = { kind: 'line'; line: LedgerLine; pos: RowPosition } | { kind: 'quarantine'; entry: QuarantineEntry }

/** A ledger file that cannot be read at all (missing, unreadable): the run reports it and goes on with the other files. */
export class LedgerFileError extends BridgeError {
    constructor(
        readonly file: string,
        reason: Bilingual
    ) {
        super(reason, EXIT.UNEXPECTED)
        this.name = 'LedgerFileError'
    }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const QUOTE = 0x22
const CR = 0x0d
const LF = 0x0a
const DELIMITERS = [0x3b /* ; */, 0x2c /* , */, 0x09 /* tab */]
/** How much of the file may be held to find the end of the header line. */
const SNIFF_LIMIT = 1 << 20
const PERSONAL: ReadonlySet<string> = new Set(PERSONAL_COLUMNS)
const KEPT: ReadonlySet<string> = new Set(KEPT_COLUMNS)

/**
 * The delimiter of the header line: the most frequent of ';', ',' and tab outside quotes on
 * the first non-blank line (ties: ';' then ','); ',' when there is none (a one-column file).
 * Returns null while the header line has not ended and `final` is false.
 */
export function sniffDelimiter(head: Buffer, final: boolean): number | null {
    const counts = new Map<number, number>(DELIMITERS.map((d) => [d, 0]))
    let inQuotes = false
    let seen = false
    for (let i = 0; i < head.length; i++) {
        const b = head[i]
        if (b === QUOTE) {
            inQuotes = !inQuotes
            seen = true
        } else if (!inQuotes && (b === LF || b === CR)) {
            if (seen) return pick(counts)
        } else if (!inQuotes && counts.has(b)) {
            counts.set(b, counts.get(b)! + 1)
            seen = true
        } else if (b !== 0x20 && b !== 0x09) {
            seen = true
        }
    }
    return final || head.length >= SNIFF_LIMIT ? pick(counts) : null
}

function pick(counts: Map<number, number>): number {
    let best = 0x2c
    let bestCount = 0
    for (const d of DELIMITERS) {
        const c = counts.get(d)!
        if (c > bestCount) {
            best = d
            bestCount = c
        }
    }
    return best
}

interface Header {
    names: string[]
    /** Per position: the kept column read from it, or null (unknown, personal, or a later duplicate). */
    kept: Array<string | null>
    /** Per READ_COLUMNS column: its position in the row (-1: not in this file or not read). */
    at: ColumnIndex
    /** A problem with the whole file (missing or doubled column): every data row is quarantined with it. */
    problem: { column: string | null; reason: Bilingual } | null
}

function readHeader(record: CsvRecord, ctx: NormaliseContext): Header {
    if (record.error) return { names: [], kept: [], at: new Int32Array(LINE_COLUMNS.length).fill(-1), problem: { column: null, reason: { fr: `En-tête illisible : ${record.error.fr}`, en: `Unreadable header: ${record.error.en}` } } }
    const map = new Map(Object.entries(ctx.columnMap ?? {}).map(([k, v]) => [canonicalHeader(k), canonicalHeader(v)]))
    const names = record.fields.map((f) => {
        const h = canonicalHeader(f.toString('utf8'))
        return map.get(h) ?? h
    })
    const seen = new Set<string>()
    const kept = names.map((n, i) => (KEPT.has(n) && names.indexOf(n) === i ? n : null))
    // operator_ref / cashier_id are located only when the context hashes them (reconciliation).
    const at = Int32Array.from(READ_COLUMNS, (c, i) => (i < LINE_COLUMNS.length ? kept.indexOf(c) : ctx.matchKey ? names.indexOf(c) : -1))
    for (const n of names) {
        if (seen.has(n) && KEPT.has(n)) {
            return {
                names,
                kept,
                at,
                problem: {
                    column: n,
                    reason: { fr: `La colonne « ${n} » apparaît deux fois dans l'en-tête : impossible de savoir laquelle lire`, en: `Column "${n}" appears twice in the header: cannot tell which one to read` },
                },
            }
        }
        seen.add(n)
    }
    const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c))
    if (missing.length) {
        // Name the header cells that were not recognised: usually the misspelt column is among them.
        const unknown = names.filter((n) => n && !KNOWN_COLUMNS.has(n)).map((n) => quoteValue(n))
        let list = unknown.join(', ')
        if (list.length > 200) list = `${list.slice(0, 199)}…`
        const s = missing.length > 1 ? 's' : ''
        return {
            names,
            kept,
            at,
            problem: {
                column: missing[0],
                reason: {
                    fr: `Colonne${s} obligatoire${s} absente${s} de l'en-tête : ${missing.join(', ')}${unknown.length ? ` (colonnes non reconnues : ${list})` : ''}`,
                    en: `Required column${s} missing from the header: ${missing.join(', ')}${unknown.length ? ` (columns not recognised: ${list})` : ''}`,
                },
            },
        }
    }
    return { names, kept, at, problem: null }
}

/** Empty or only ASCII spaces/tabs (what spreadsheets leave in empty rows). */
function isBlank(f: Buffer): boolean {
    for (let i = 0; i < f.length; i++) if (f[i] !== 0x20 && f[i] !== 0x09) return false
    return true
}

function isBlankText(t: string): boolean {
    for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i)
        if (c !== 0x20 && c !== 0x09) return false
    }
    return true
}

/** The kept columns of a row, by position (best effort for rows that are quarantined). */
function rawOf(record: CsvRecord, header: Header): Record<string, string> {
    const raw: Record<string, string> = {}
    const text = record.text
    const fields = text ? null : record.fields
    const n = text ? text.length : fields!.length
    header.kept.forEach((name, i) => {
        if (name && i < n) raw[name] = text ? text[i] : fields![i].toString('utf8')
    })
    return keptRaw(raw)
}

function quarantine(record: CsvRecord, header: Header, file: string, column: string | null, reason: Bilingual, raw: Record<string, string> = rawOf(record, header)): LedgerItem {
    return { kind: 'quarantine', entry: { file, line: record.line, column, reason, raw } }
}

function rowItem(record: CsvRecord, header: Header, file: string, ctx: NormaliseContext): LedgerItem | null {
    if (record.error) return quarantine(record, header, file, null, record.error, {})
    // A plain line is read whole (fast-row.ts); null: read it cell by cell below.
    if (record instanceof TextRecord && !header.problem) {
        const line = fastLine(record.source, record.delimiter, header.at, header.names.length, ctx)
        if (line) return { kind: 'line', line, pos: { file, line: record.line } }
    }
    // Decoded by the tokenizer (valid UTF-8, the usual case), or bytes to check and decode here.
    const text = record.text
    const fields = text ? null : record.fields
    if (text ? text.every(isBlankText) : fields!.every(isBlank)) return null // a blank row (e.g. ';;;;' left by a spreadsheet) is not a data row
    if (header.problem) return quarantine(record, header, file, header.problem.column, header.problem.reason)
    const n = text ? text.length : fields!.length
    const h = header.names.length
    if (n < h || (n > h && !(text ? text.slice(h).every(isBlankText) : fields!.slice(h).every(isBlank)))) {
        return quarantine(record, header, file, null, {
            fr: `Ligne de ${n} champ${n > 1 ? 's' : ''} alors que l'en-tête en a ${h} (séparateur en trop ou manquant ?)`,
            en: `Row has ${n} field${n > 1 ? 's' : ''} but the header has ${h} (an extra or missing delimiter?)`,
        })
    }
    for (let i = 0; i < n && !text && !record.ascii; i++) {
        if (!isUtf8(fields![i])) {
            const name = header.names[i]
            return quarantine(record, header, file, name && (KEPT.has(name) || PERSONAL.has(name)) ? name : null, {
                fr: `Texte qui n'est pas de l'UTF-8 valide (champ n° ${i + 1}) : enregistrez le fichier en « CSV UTF-8 »`,
                en: `Text is not valid UTF-8 (field ${i + 1}): save the file as "CSV UTF-8"`,
            })
        }
    }
    // Cells by position, read through header.at: normaliseCells reads the kept columns only
    // (personal ones are never decoded from bytes, nor copied from the decoded text).
    let cells: ArrayLike<string | undefined>
    if (text) cells = text
    else {
        const decoded = new Array<string | undefined>(h)
        // toString() without arguments is Node's direct UTF-8 path (the fields are valid UTF-8 here).
        for (let i = 0; i < h; i++) if (header.kept[i]) decoded[i] = fields![i].toString()
        for (let k = LINE_COLUMNS.length; k < header.at.length; k++) if (header.at[k] >= 0) decoded[header.at[k]] = fields![header.at[k]].toString()
        cells = decoded
    }
    const pos = { file, line: record.line }
    const r = normaliseCells(cells, header.at, pos, ctx)
    return r.ok ? { kind: 'line', line: r.line, pos } : { kind: 'quarantine', entry: r.entry }
}

/**
 * The ledger reader without I/O: feed byte chunks, get the items they complete. UTF-8 with
 * optional BOM, ',' ';' or tab (sniffed on the header line), CRLF/LF/CR, quoted fields with
 * embedded line ends. Every data row yields one item, a line or a quarantine entry positioned
 * at the physical line where the row starts; blank rows yield nothing. A header without a
 * required column quarantines every data row with that column (so the counts stay true);
 * nothing is thrown for bad content.
 */
export class CsvLedgerParser {
    /** Created once the delimiter is known. */
    private tokenizer: CsvTokenizer | null = null
    /** Bytes held until the header line has ended (to sniff the delimiter). */
    private head: Buffer = Buffer.alloc(0)
    private started = false
    private header: Header | null = null
    /** Excel's "Unicode text" export is UTF-16 with a BOM: transcoded to UTF-8 on the fly. */
    private utf16: TextDecoder | null = null
    private ended = false

    constructor(
        private readonly name: string,
        private readonly ctx: NormaliseContext
    ) {}

    /** The items completed by this chunk, in order. */
    push(chunk: Uint8Array): LedgerItem[] {
        return this.handle(this.feed(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), false))
    }

    /** End of input: the last items. */
    end(): LedgerItem[] {
        if (this.ended) return []
        this.ended = true
        const items = this.handle(this.feed(Buffer.alloc(0), true))
        if (this.tokenizer) items.push(...this.handle(this.tokenizer.end()))
        return items
    }

    private handle(records: CsvRecord[]): LedgerItem[] {
        const items: LedgerItem[] = []
        for (const record of records) {
            if (!this.header) {
                this.header = readHeader(record, this.ctx)
                continue
            }
            const item = rowItem(record, this.header, this.name, this.ctx)
            if (item) items.push(item)
        }
        return items
    }

    /** Feed bytes; before the tokenizer exists, hold them until the delimiter can be sniffed. */
    private feed(bytes: Buffer, final: boolean): CsvRecord[] {
        if (this.tokenizer) return this.tokenizer.push(this.utf16 ? Buffer.from(this.utf16.decode(bytes, { stream: !final }), 'utf8') : bytes)
        let all = this.head.length ? Buffer.concat([this.head, bytes]) : bytes
        if (!this.started) {
            if (all.length < BOM.length && !final) {
                this.head = all
                return []
            }
            this.started = true
            if (all.subarray(0, 3).equals(BOM)) all = all.subarray(3)
            else if ((all[0] === 0xff && all[1] === 0xfe) || (all[0] === 0xfe && all[1] === 0xff)) this.utf16 = new TextDecoder(all[0] === 0xff ? 'utf-16le' : 'utf-16be')
            if (this.utf16) all = Buffer.from(this.utf16.decode(all, { stream: !final }), 'utf8')
        } else if (this.utf16) {
            all = Buffer.concat([this.head, Buffer.from(this.utf16.decode(bytes, { stream: !final }), 'utf8')])
        }
        const delimiter = sniffDelimiter(all, final)
        if (delimiter === null) {
            this.head = all
            return []
        }
        this.tokenizer = new CsvTokenizer(delimiter)
        this.head = Buffer.alloc(0)
        return this.tokenizer.push(all)
    }
}

/**
 * Streams a canonical ledger CSV from byte chunks (see CsvLedgerParser). One async generator
 * level and no nested generators: a sync reads millions of items through here.
 */
export async function* readCsvLedgerFromChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, name: string, ctx: NormaliseContext): AsyncGenerator<LedgerItem> {
    const parser = new CsvLedgerParser(name, ctx)
    for await (const chunk of chunks) {
        for (const item of parser.push(chunk)) yield item
    }
    for (const item of parser.end()) yield item
}

/** Streams a ledger CSV file (never loaded whole). Throws LedgerFileError when the file cannot be read. */
export async function* readCsvLedger(file: string, ctx: NormaliseContext): AsyncGenerator<LedgerItem> {
    for await (const batch of readCsvLedgerBatches(file, ctx)) for (const item of batch) yield item
}

/**
 * readCsvLedger a chunk (256 KiB) at a time: the same items, in order, in arrays. For callers that
 * read millions of lines, one await per chunk instead of one per line.
 */
export async function* readCsvLedgerBatches(file: string, ctx: NormaliseContext): AsyncGenerator<LedgerItem[]> {
    let stream: fs.ReadStream
    try {
        const st = await fs.promises.stat(file)
        if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
        // 256 KiB reads: fewer trips through the stream machinery than 64 KiB, a batch of ~1 500 items.
        stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 })
    } catch (e) {
        throw ledgerFileError(file, e)
    }
    const parser = new CsvLedgerParser(file, ctx)
    try {
        // Read errors come from the stream; wrap them so the caller can report the file and go on.
        // Chunks are read here and handed to the parser without further generators.
        const it = stream[Symbol.asyncIterator]()
        for (;;) {
            let next: IteratorResult<Buffer>
            try {
                next = await it.next()
            } catch (e) {
                throw ledgerFileError(file, e)
            }
            if (next.done) break
            const items = parser.push(next.value)
            if (items.length) yield items
        }
        const last = parser.end()
        if (last.length) yield last
    } finally {
        stream.destroy()
    }
}

/** For tests and small in-memory sources: the same reader over a string (UTF-8) or bytes. */
export function readCsvLedgerFromString(text: string | Uint8Array, name: string, ctx: NormaliseContext, chunkSize = 64 * 1024): AsyncGenerator<LedgerItem> {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text)
    const parts: Buffer[] = []
    for (let i = 0; i < bytes.length; i += chunkSize) parts.push(bytes.subarray(i, i + chunkSize))
    return readCsvLedgerFromChunks(parts, name, ctx)
}

/** A file that cannot be opened, as every ledger reader reports it (CSV, XLSX, mapped files); `otherwise` words the reader's own failures. */
export function ledgerFileError(file: string, e: unknown, otherwise?: (message: string) => Bilingual): LedgerFileError {
    if (e instanceof LedgerFileError) return e
    const code = (e as NodeJS.ErrnoException)?.code
    const why: Bilingual =
        code === 'ENOENT'
            ? { fr: 'fichier introuvable', en: 'file not found' }
            : code === 'EACCES' || code === 'EPERM'
              ? { fr: 'accès refusé', en: 'permission denied' }
              : code === 'EISDIR'
                ? { fr: "c'est un dossier", en: 'it is a folder' }
                : (otherwise ?? ((m: string) => ({ fr: m, en: m })))(String((e as Error)?.message ?? e))
    return new LedgerFileError(file, { fr: `Registre illisible « ${file} » : ${why.fr}`, en: `Cannot read ledger "${file}": ${why.en}` })
}
