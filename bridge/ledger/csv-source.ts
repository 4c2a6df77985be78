import { isUtf8 } from 'node:buffer'
import fs from 'node:fs'
import { TextDecoder } from 'node:util'
import type { Bilingual, LedgerLine, QuarantineEntry } from '../domain/line'
import { canonicalHeader, KEPT_COLUMNS, keptRaw, KNOWN_COLUMNS, PERSONAL_COLUMNS, REQUIRED_COLUMNS } from './columns'
import { CsvTokenizer, type CsvRecord } from './csv-tokenizer'
import { normaliseRow, type NormaliseContext, type RowPosition } from './normalise'
import { quoteValue } from './text'

export type LedgerItem = { kind: 'line'; line: LedgerLine; pos: RowPosition } | { kind: 'quarantine'; entry: QuarantineEntry }

/** A ledger file that cannot be read at all (missing, unreadable): the run reports it and goes on with the other files. */
export class LedgerFileError extends Error {
    constructor(
        readonly file: string,
        readonly reason: Bilingual
    ) {
        super(reason.en)
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
    /** A problem with the whole file (missing or doubled column): every data row is quarantined with it. */
    problem: { column: string | null; reason: Bilingual } | null
}

function readHeader(record: CsvRecord, ctx: NormaliseContext): Header {
    if (record.error) return { names: [], kept: [], problem: { column: null, reason: { fr: `En-tête illisible : ${record.error.fr}`, en: `Unreadable header: ${record.error.en}` } } }
    const map = new Map(Object.entries(ctx.columnMap ?? {}).map(([k, v]) => [canonicalHeader(k), canonicalHeader(v)]))
    const names = record.fields.map((f) => {
        const h = canonicalHeader(f.toString('utf8'))
        return map.get(h) ?? h
    })
    const seen = new Set<string>()
    const kept = names.map((n, i) => (KEPT.has(n) && names.indexOf(n) === i ? n : null))
    for (const n of names) {
        if (seen.has(n) && KEPT.has(n)) {
            return {
                names,
                kept,
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
            problem: {
                column: missing[0],
                reason: {
                    fr: `Colonne${s} obligatoire${s} absente${s} de l'en-tête : ${missing.join(', ')}${unknown.length ? ` (colonnes non reconnues : ${list})` : ''}`,
                    en: `Required column${s} missing from the header: ${missing.join(', ')}${unknown.length ? ` (columns not recognised: ${list})` : ''}`,
                },
            },
        }
    }
    return { names, kept, problem: null }
}

/** Empty or only ASCII spaces/tabs (what spreadsheets leave in empty rows). */
function isBlank(f: Buffer): boolean {
    for (let i = 0; i < f.length; i++) if (f[i] !== 0x20 && f[i] !== 0x09) return false
    return true
}

/** The kept columns of a row, by position (best effort for rows that are quarantined). */
function rawOf(record: CsvRecord, header: Header): Record<string, string> {
    const raw: Record<string, string> = {}
    header.kept.forEach((n, i) => {
        if (n && i < record.fields.length) raw[n] = record.fields[i].toString('utf8')
    })
    return keptRaw(raw)
}

function rowItem(record: CsvRecord, header: Header, file: string, ctx: NormaliseContext): LedgerItem | null {
    const pos = { file, line: record.line }
    const quarantine = (column: string | null, reason: Bilingual, raw: Record<string, string> = rawOf(record, header)): LedgerItem => ({
        kind: 'quarantine',
        entry: { file, line: record.line, column, reason, raw },
    })
    if (record.error) return quarantine(null, record.error, {})
    if (record.fields.every(isBlank)) return null // a blank row (e.g. ';;;;' left by a spreadsheet) is not a data row
    if (header.problem) return quarantine(header.problem.column, header.problem.reason)
    const n = record.fields.length
    const h = header.names.length
    if (n < h || (n > h && !record.fields.slice(h).every(isBlank))) {
        return quarantine(null, {
            fr: `Ligne de ${n} champ${n > 1 ? 's' : ''} alors que l'en-tête en a ${h} (séparateur en trop ou manquant ?)`,
            en: `Row has ${n} field${n > 1 ? 's' : ''} but the header has ${h} (an extra or missing delimiter?)`,
        })
    }
    for (let i = 0; i < n && !record.ascii; i++) {
        if (!isUtf8(record.fields[i])) {
            const name = header.names[i]
            return quarantine(name && (KEPT.has(name) || PERSONAL.has(name)) ? name : null, {
                fr: `Texte qui n'est pas de l'UTF-8 valide (champ n° ${i + 1}) : enregistrez le fichier en « CSV UTF-8 »`,
                en: `Text is not valid UTF-8 (field ${i + 1}): save the file as "CSV UTF-8"`,
            })
        }
    }
    // Only kept columns are read: personal columns never leave this function.
    const raw: Record<string, string> = {}
    for (let i = 0; i < h; i++) {
        const name = header.kept[i]
        if (name) raw[name] = record.fields[i].toString('utf8')
    }
    const r = normaliseRow(raw, pos, ctx)
    return r.ok ? { kind: 'line', line: r.line, pos } : { kind: 'quarantine', entry: r.entry }
}

/**
 * Streams a canonical ledger CSV from byte chunks: UTF-8 with optional BOM, ',' ';' or tab
 * (sniffed on the header line), CRLF/LF/CR, quoted fields with embedded line ends. Every data
 * row yields one item, a line or a quarantine entry positioned at the physical line where the
 * row starts; blank rows yield nothing. A header without a required column quarantines every
 * data row with that column (so the counts stay true); nothing is thrown for bad content.
 */
export async function* readCsvLedgerFromChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, name: string, ctx: NormaliseContext): AsyncGenerator<LedgerItem> {
    const st: {
        /** Created once the delimiter is known. */
        tokenizer: CsvTokenizer | null
        /** Bytes held until the header line has ended (to sniff the delimiter). */
        head: Buffer
        started: boolean
        header: Header | null
        /** Excel's "Unicode text" export is UTF-16 with a BOM: transcoded to UTF-8 on the fly. */
        utf16: TextDecoder | null
    } = { tokenizer: null, head: Buffer.alloc(0), started: false, header: null, utf16: null }

    function* handle(records: CsvRecord[]): Generator<LedgerItem> {
        for (const record of records) {
            if (!st.header) {
                st.header = readHeader(record, ctx)
                continue
            }
            const item = rowItem(record, st.header, name, ctx)
            if (item) yield item
        }
    }

    /** Feed bytes; before the tokenizer exists, hold them until the delimiter can be sniffed. */
    function feed(bytes: Buffer, final: boolean): CsvRecord[] {
        if (st.tokenizer) return st.tokenizer.push(st.utf16 ? Buffer.from(st.utf16.decode(bytes, { stream: !final }), 'utf8') : bytes)
        let all = st.head.length ? Buffer.concat([st.head, bytes]) : bytes
        if (!st.started) {
            if (all.length < BOM.length && !final) {
                st.head = all
                return []
            }
            st.started = true
            if (all.subarray(0, 3).equals(BOM)) all = all.subarray(3)
            else if ((all[0] === 0xff && all[1] === 0xfe) || (all[0] === 0xfe && all[1] === 0xff)) st.utf16 = new TextDecoder(all[0] === 0xff ? 'utf-16le' : 'utf-16be')
            if (st.utf16) all = Buffer.from(st.utf16.decode(all, { stream: !final }), 'utf8')
        } else if (st.utf16) {
            all = Buffer.concat([st.head, Buffer.from(st.utf16.decode(bytes, { stream: !final }), 'utf8')])
        }
        const delimiter = sniffDelimiter(all, final)
        if (delimiter === null) {
            st.head = all
            return []
        }
        st.tokenizer = new CsvTokenizer(delimiter)
        st.head = Buffer.alloc(0)
        return st.tokenizer.push(all)
    }

    for await (const chunk of chunks) {
        yield* handle(feed(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), false))
    }
    yield* handle(feed(Buffer.alloc(0), true))
    if (st.tokenizer) yield* handle(st.tokenizer.end())
}

/** Streams a ledger CSV file (never loaded whole). Throws LedgerFileError when the file cannot be read. */
export async function* readCsvLedger(file: string, ctx: NormaliseContext): AsyncGenerator<LedgerItem> {
    let stream: fs.ReadStream
    try {
        const st = await fs.promises.stat(file)
        if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
        stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 })
    } catch (e) {
        throw fileError(file, e)
    }
    // Read errors come from the stream; wrap them so the caller can report the file and go on.
    async function* chunks(): AsyncGenerator<Buffer> {
        try {
            for await (const c of stream) yield c as Buffer
        } catch (e) {
            throw fileError(file, e)
        }
    }
    try {
        yield* readCsvLedgerFromChunks(chunks(), file, ctx)
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

function fileError(file: string, e: unknown): LedgerFileError {
    if (e instanceof LedgerFileError) return e
    const code = (e as NodeJS.ErrnoException)?.code
    const why: Bilingual =
        code === 'ENOENT'
            ? { fr: 'fichier introuvable', en: 'file not found' }
            : code === 'EACCES' || code === 'EPERM'
              ? { fr: 'accès refusé', en: 'permission denied' }
              : code === 'EISDIR'
                ? { fr: "c'est un dossier", en: 'it is a folder' }
                : { fr: String((e as Error)?.message ?? e), en: String((e as Error)?.message ?? e) }
    return new LedgerFileError(file, { fr: `Registre illisible « ${file} » : ${why.fr}`, en: `Cannot read ledger "${file}": ${why.en}` })
}
