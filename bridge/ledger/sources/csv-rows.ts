import { isUtf8 } from 'node:buffer'
import { TextDecoder } from 'node:util'
import { CsvTokenizer, type CsvRecord } from '../csv-tokenizer'
import type { TableRow } from './tabular'

/**
 * A CSV file as rows of text cells, for mapped sources (cashier exports, operator statements).
 * Same tokenizer as the canonical reader; differences: the delimiter is the one that splits the
 * first lines most (a statement's title block has none), and windows-1252 / ISO-8859-1 text is
 * accepted when the mapping says so.
 */

const QUOTE = 0x22
const CR = 0x0d
const LF = 0x0a
const CANDIDATES = [0x3b /* ; */, 0x2c /* , */, 0x09 /* tab */, 0x7c /* | */]
const SNIFF_LINES = 30
const SNIFF_BYTES = 256 * 1024

/**
 * The delimiter with the largest count on any of the first lines, outside quotes (ties: ';', ',',
 * tab, '|'); null until enough lines are seen (unless final). A header of a statement has many
 * delimiters, a title line few or none.
 */
export function sniffStatementDelimiter(head: Buffer, final: boolean): number | null {
    const best = new Map<number, number>(CANDIDATES.map((d) => [d, 0]))
    let counts = new Map<number, number>(CANDIDATES.map((d) => [d, 0]))
    let inQuotes = false
    let lines = 0
    const endLine = () => {
        for (const d of CANDIDATES) best.set(d, Math.max(best.get(d)!, counts.get(d)!))
        counts = new Map<number, number>(CANDIDATES.map((d) => [d, 0]))
        lines++
    }
    for (let i = 0; i < head.length && lines < SNIFF_LINES; i++) {
        const b = head[i]
        if (b === QUOTE) inQuotes = !inQuotes
        else if (!inQuotes && (b === LF || b === CR)) {
            if (b === CR && head[i + 1] === LF) i++
            endLine()
        } else if (!inQuotes && counts.has(b)) counts.set(b, counts.get(b)! + 1)
    }
    if (lines < SNIFF_LINES && !final && head.length < SNIFF_BYTES) return null
    endLine()
    let pick = CANDIDATES[0]
    let max = 0
    for (const d of CANDIDATES) {
        if (best.get(d)! > max) {
            pick = d
            max = best.get(d)!
        }
    }
    return pick
}

const DELIMITER_BYTE: Record<string, number> = { ';': 0x3b, ',': 0x2c, '\t': 0x09, '|': 0x7c }

export interface CsvRowOptions {
    delimiter?: string | null
    encoding?: string
}

export async function* csvRows(chunks: AsyncIterable<Buffer>, opts: CsvRowOptions = {}): AsyncGenerator<TableRow> {
    const declared = (opts.encoding ?? 'utf-8').toLowerCase()
    let tokenizer: CsvTokenizer | null = null
    let head: Buffer = Buffer.alloc(0)
    let started = false
    /** UTF-16 (by BOM or declared) is transcoded to UTF-8 before the tokenizer. */
    let utf16: TextDecoder | null = null
    /** Single-byte encodings decode each field after tokenizing (delimiters and quotes are ASCII). */
    const singleByte = declared === 'windows-1252' || declared === 'iso-8859-1' ? new TextDecoder(declared) : null

    const toRow = (r: CsvRecord): TableRow => {
        if (r.error) return { line: r.line, cells: [], error: r.error }
        // The tokenizer has already decoded valid UTF-8 lines.
        if (r.text && !singleByte) return { line: r.line, cells: r.text }
        const cells: string[] = []
        for (let i = 0; i < r.fields.length; i++) {
            const f = r.fields[i]
            if (singleByte) cells.push(singleByte.decode(f))
            else if (r.ascii || isUtf8(f)) cells.push(f.toString('utf8'))
            else {
                return {
                    line: r.line,
                    cells: [],
                    error: {
                        fr: `Texte qui n'est pas de l'UTF-8 valide (champ n° ${i + 1}) : enregistrez le fichier en « CSV UTF-8 », ou indiquez mapping.encoding: windows-1252`,
                        en: `Text is not valid UTF-8 (field ${i + 1}): save the file as "CSV UTF-8", or set mapping.encoding: windows-1252`,
                    },
                }
            }
        }
        return { line: r.line, cells }
    }

    const feed = (bytes: Buffer, final: boolean): CsvRecord[] => {
        if (utf16) bytes = Buffer.from(utf16.decode(bytes, { stream: !final }), 'utf8')
        if (tokenizer) return tokenizer.push(bytes)
        let all: Buffer = head.length ? Buffer.concat([head, bytes]) : bytes
        if (!started) {
            if (all.length < 3 && !final) {
                head = all
                return []
            }
            started = true
            if (all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf) all = all.subarray(3)
            else if ((all[0] === 0xff && all[1] === 0xfe) || (all[0] === 0xfe && all[1] === 0xff) || declared === 'utf-16le') {
                utf16 = new TextDecoder(all[0] === 0xfe ? 'utf-16be' : 'utf-16le')
                all = Buffer.from(utf16.decode(all, { stream: !final }), 'utf8')
            }
        }
        const d = opts.delimiter ? DELIMITER_BYTE[opts.delimiter] : sniffStatementDelimiter(all, final)
        if (d === null || d === undefined) {
            head = all
            return []
        }
        tokenizer = new CsvTokenizer(d)
        head = Buffer.alloc(0)
        return tokenizer.push(all)
    }

    for await (const chunk of chunks) for (const r of feed(chunk, false)) yield toRow(r)
    for (const r of feed(Buffer.alloc(0), true)) yield toRow(r)
    if (tokenizer) for (const r of (tokenizer as CsvTokenizer).end()) yield toRow(r)
}
