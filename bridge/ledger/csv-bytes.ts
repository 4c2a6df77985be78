import type { Bilingual } from '../domain/line'

/** The tokenizer's building blocks (csv-tokenizer.ts): records, decoders, a byte buffer, its messages. */

/** One CSV record as the tokenizer (csv-tokenizer.ts) gives it. */
export interface CsvRecord {
    /** Raw bytes of each field, quotes removed. */
    fields: Buffer[]
    /**
     * The fields already decoded, when the whole record is valid UTF-8 (set by the fast path:
     * readers use it instead of decoding each field's bytes).
     */
    text?: string[]
    /** 1-based physical line where the record starts. */
    line: number
    /** Set when the record is malformed; its fields are then unreliable. */
    error: Bilingual | null
    /** Every byte < 0x80: no UTF-8 check needed. */
    ascii: boolean
}

/**
 * A record read by the fast path: the decoded line, split into cells only when they are asked
 * for (the ledger reader reads most lines whole: fast-row.ts); the bytes are rebuilt only if asked for.
 */
export class TextRecord implements CsvRecord {
    readonly error = null
    private cells: string[] | null = null
    private bytes: Buffer[] | null = null
    constructor(
        /** The whole line, without its line end. */
        readonly source: string,
        /** The delimiter, one ASCII character. */
        readonly delimiter: string,
        readonly line: number,
        readonly ascii: boolean
    ) {}
    get text(): string[] {
        return (this.cells ??= this.source.split(this.delimiter))
    }
    /** The same bytes as read (valid UTF-8 re-encodes to itself). */
    get fields(): Buffer[] {
        return (this.bytes ??= this.text.map((t) => Buffer.from(t, 'utf8')))
    }
}

/** Node's direct decoders, which toString(encoding, start, end) reaches after looking the encoding up. */
type Decoders = { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string }
const direct = typeof (Buffer.prototype as unknown as Partial<Decoders>).latin1Slice === 'function' && typeof (Buffer.prototype as unknown as Partial<Decoders>).utf8Slice === 'function'
export const latin1 = direct ? (b: Buffer, s: number, e: number) => (b as unknown as Decoders).latin1Slice(s, e) : (b: Buffer, s: number, e: number) => b.toString('latin1', s, e)
export const utf8 = direct ? (b: Buffer, s: number, e: number) => (b as unknown as Decoders).utf8Slice(s, e) : (b: Buffer, s: number, e: number) => b.toString('utf8', s, e)

/** A growable byte buffer. */
export class Bytes {
    buf = Buffer.allocUnsafe(256)
    len = 0
    push(b: number): void {
        if (this.len === this.buf.length) {
            const next = Buffer.allocUnsafe(this.buf.length * 2)
            this.buf.copy(next, 0, 0, this.len)
            this.buf = next
        }
        this.buf[this.len++] = b
    }
    take(): Buffer {
        const out = Buffer.from(this.buf.subarray(0, this.len))
        this.len = 0
        return out
    }
    reset(): void {
        this.len = 0
    }
}

export function unterminated(): Bilingual {
    return {
        fr: 'Guillemet ouvrant jamais refermé : l’enregistrement qui commence ici est illisible (les lignes suivantes sont relues normalement)',
        en: 'Opening quote never closed: the record that starts here cannot be read (the following lines are read normally)',
    }
}

export function tooLong(max: number): Bilingual {
    return {
        fr: `Enregistrement de plus de ${max} octets : illisible (guillemet non refermé ou fichier qui n’est pas un CSV ?)`,
        en: `Record longer than ${max} bytes: unreadable (an unclosed quote, or not a CSV file?)`,
    }
}

export function misplacedQuote(fieldNo: number): Bilingual {
    return {
        fr: `Guillemet mal placé dans le champ n° ${fieldNo} : un champ entre guillemets doit être suivi du séparateur ou d’une fin de ligne (écrire "" pour un guillemet)`,
        en: `Misplaced quote in field ${fieldNo}: a quoted field must be followed by the delimiter or a line end (write "" for a quote)`,
    }
}
