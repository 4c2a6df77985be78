import { isAscii, isUtf8 } from 'node:buffer'
import type { Bilingual } from '../domain/line'
import { Bytes, latin1, misplacedQuote, TextRecord, tooLong, unterminated, utf8, type CsvRecord } from './csv-bytes'

export type { CsvRecord }

/**
 * A streaming RFC 4180 tokenizer over bytes, written for the ledger rather than taken from
 * csv-parse, because the ledger needs three things csv-parse does not give reliably:
 *   - the physical line where each record *starts* (quoted fields may span lines, blank lines
 *     are skipped), for quarantine positions;
 *   - per-record recovery: a malformed record is reported and the next one is read normally
 *     (csv-parse's skip_records_with_error loses its place after a bad quote);
 *   - raw bytes per field, so invalid UTF-8 quarantines one row instead of being replaced by
 *     U+FFFD silently.
 *
 * Records end at LF, CRLF or a lone CR outside quotes. Inside quotes, `""` is a quote; a quote
 * closes the field only before a delimiter, a line end or the end of input — anything else
 * marks the record malformed. A quote inside an unquoted field is kept as a character. A quote
 * left open at the end of input (or a quoted field larger than maxRecordBytes) marks the
 * record from its start line malformed, and reading resumes on the line after that start.
 *
 * Speed: a whole line without quotes (nearly every ledger line) is split in place with native
 * searches, its fields being views of the chunk; the byte-by-byte state machine handles the
 * rest (quotes, lone CRs, a line cut by the chunk's end, over-long lines) exactly as before.
 */

const QUOTE = 0x22
const CR = 0x0d
const LF = 0x0a

const enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /** A quote seen inside a quoted field: escaped quote, closing quote or error. */
    QuoteInQuoted,
    /** After a closing quote, waiting for a delimiter or line end. */
    AfterClose,
    /** Discarding the rest of a physical line (recovery after a malformed record). */
    SkipLine,
    /**
     * Discarding the rest of an over-long record, outside quotes. Quotes are still followed
     * (SkipQuoted, SkipQuoteInQuoted) so that a quoted line break later in the same record does
     * not end it early and turn its tail into rows of their own.
     */
    SkipRecord,
    SkipQuoted,
    SkipQuoteInQuoted,
}

/** States in which bytes are discarded, not kept in fields. */
const skipping = (s: State) => s >= State.SkipLine

export const DEFAULT_MAX_RECORD_BYTES = 1 << 20

export class CsvTokenizer {
    private state = State.FieldStart
    private line = 1
    private recordLine = 1
    private fields: Buffer[] = []
    private readonly field = new Bytes()
    /** Raw bytes of the current record, for recovery after an unterminated quote. */
    private readonly raw = new Bytes()
    private error: Bilingual | null = null
    private pendingCR = false
    /** While skipping an over-long record: the next byte starts a field (a quote there opens one). */
    private skipAtFieldStart = false
    private recordHasBytes = false
    private nonAscii = false
    /** Why scan() stopped early (a recovery is due). */
    private stopReason: Bilingual | null = null
    private out: CsvRecord[] = []
    private readonly delimiterChar: string

    constructor(
        private readonly delimiter: number,
        private readonly maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
        firstLine = 1,
        /** false: byte-by-byte only (tests compare both paths). */
        private readonly fastPath = true
    ) {
        this.line = firstLine
        this.recordLine = firstLine
        this.delimiterChar = String.fromCharCode(delimiter)
    }

    /** Feed a chunk; returns the records it completed. */
    push(chunk: Buffer): CsvRecord[] {
        this.feed(chunk)
        return this.drain()
    }

    /** End of input; returns the last records. */
    end(): CsvRecord[] {
        // A quote left open, or a malformed record spanning lines: report the record where it
        // started, re-read what followed its first line.
        while (this.state === State.Quoted || (this.error && this.line > this.recordLine && !skipping(this.state))) {
            const again = this.recover(unterminated())
            if (!again) break
            this.feed(again)
        }
        if (this.recordHasBytes || this.fields.length) this.endRecord()
        return this.drain()
    }

    private drain(): CsvRecord[] {
        const out = this.out
        this.out = []
        return out
    }

    /** Scan buffers in order; a recovery puts the bytes to re-read in front of the queue (no recursion). */
    private feed(chunk: Buffer): void {
        const queue: Buffer[] = [chunk]
        while (queue.length) {
            const buf = queue.shift()!
            const stop = this.scan(buf)
            if (stop < 0) continue
            const again = this.recover(this.stopReason ?? unterminated())
            this.stopReason = null
            queue.unshift(buf.subarray(stop + 1))
            if (again) queue.unshift(again)
        }
    }

    /** Returns -1, or the index at which a quoted field grew past maxRecordBytes (scanning stops there). */
    private scan(chunk: Buffer): number {
        const d = this.delimiter
        const n = chunk.length
        // Next LF, quote, CR and delimiter at or after the current position (n: none left), so
        // that each native search covers every byte once per chunk.
        let nextLf = this.fastPath ? -1 : n
        let nextQuote = -1
        let nextCr = -1
        let nextDelim = -1
        // End of the span, from the first fast-path line to the chunk's last LF, found valid
        // UTF-8 by one native check (-2: not checked yet, -1: not valid, check each line). A
        // line inside it is valid too (it is cut at LFs, which never sit inside a sequence).
        let validTo = -2
        for (let i = 0; i < n; i++) {
            if (nextLf < n && this.state === State.FieldStart && this.raw.len === 0 && !this.pendingCR && this.error === null) {
                if (nextLf < i) {
                    nextLf = chunk.indexOf(LF, i)
                    if (nextLf < 0) nextLf = n
                }
                if (nextLf < n) {
                    if (nextQuote < i) {
                        nextQuote = chunk.indexOf(QUOTE, i)
                        if (nextQuote < 0) nextQuote = n
                    }
                    if (nextCr < i) {
                        nextCr = chunk.indexOf(CR, i)
                        if (nextCr < 0) nextCr = n
                    }
                    const lf = nextLf
                    const end = nextCr === lf - 1 && lf > i ? lf - 1 : lf
                    // Same limit as the slow path, which counts the line end bytes too.
                    if (nextQuote > lf && nextCr >= end && lf + 1 - i <= this.maxRecordBytes) {
                        if (validTo === -2) {
                            const last = chunk.lastIndexOf(LF)
                            validTo = isUtf8(chunk.subarray(i, last)) ? last : -1
                        }
                        if (end > i && lf <= validTo && this.delimiter < 0x80) {
                            // Decoded once, split on the (ASCII) delimiter: a UTF-8 sequence never holds an ASCII byte.
                            // Valid UTF-8 decodes to as many UTF-16 units as bytes only when every byte is ASCII.
                            const text = utf8(chunk, i, end)
                            this.out.push(new TextRecord(text, this.delimiterChar, this.recordLine, text.length === end - i))
                            this.line++
                            this.recordLine = this.line
                            i = lf
                            continue
                        }
                        const bytes = end > i ? chunk.subarray(i, end) : null
                        const ascii = bytes !== null && isAscii(bytes)
                        if (bytes !== null && this.delimiter < 0x80 && (ascii || isUtf8(bytes))) {
                            // Decoded once, split on the (ASCII) delimiter: a UTF-8 sequence never holds an ASCII byte.
                            const text = ascii ? latin1(chunk, i, end) : utf8(chunk, i, end)
                            this.out.push(new TextRecord(text, this.delimiterChar, this.recordLine, ascii))
                        } else if (bytes !== null) {
                            const fields: Buffer[] = []
                            let s = i
                            for (;;) {
                                if (nextDelim < s) {
                                    nextDelim = chunk.indexOf(d, s)
                                    if (nextDelim < 0) nextDelim = n
                                }
                                if (nextDelim >= end) break
                                fields.push(chunk.subarray(s, nextDelim))
                                s = nextDelim + 1
                            }
                            fields.push(chunk.subarray(s, end))
                            this.out.push({ fields, line: this.recordLine, error: null, ascii: false })
                        }
                        this.line++
                        this.recordLine = this.line
                        i = lf
                        continue
                    }
                }
            }
            const b = chunk[i]
            if (b >= 0x80) this.nonAscii = true
            if (this.pendingCR) {
                this.pendingCR = false
                if (b === LF) {
                    // CRLF: the CR already ended the line; keep the LF inside a quoted field's raw bytes only.
                    if (this.state === State.Quoted) {
                        this.field.push(b)
                        this.raw.push(b)
                    }
                    continue
                }
            }
            if (!skipping(this.state)) {
                this.raw.push(b)
                if (this.raw.len > this.maxRecordBytes) {
                    if (this.state === State.Quoted || this.state === State.QuoteInQuoted) {
                        this.stopReason = tooLong(this.maxRecordBytes)
                        return i
                    }
                    this.error = tooLong(this.maxRecordBytes)
                    this.skipAtFieldStart = this.state === State.FieldStart
                    this.state = State.SkipRecord
                    this.field.reset()
                }
            }
            switch (this.state) {
                case State.SkipLine:
                    if (b === LF || b === CR) this.lineEnd(b, false)
                    break
                case State.SkipRecord:
                    if (b === LF || b === CR) this.lineEnd(b, false)
                    else if (b === d) this.skipAtFieldStart = true
                    else if (b === QUOTE && this.skipAtFieldStart) this.state = State.SkipQuoted
                    else this.skipAtFieldStart = false
                    break
                case State.SkipQuoted:
                    if (b === QUOTE) this.state = State.SkipQuoteInQuoted
                    else if (b === LF || b === CR) this.newPhysicalLine(b)
                    break
                case State.SkipQuoteInQuoted:
                    if (b === QUOTE) this.state = State.SkipQuoted
                    else if (b === LF || b === CR) this.lineEnd(b, false)
                    else {
                        this.skipAtFieldStart = b === d
                        this.state = State.SkipRecord
                    }
                    break
                case State.FieldStart:
                    if (b === QUOTE) {
                        this.state = State.Quoted
                        this.recordHasBytes = true
                    } else if (b === d) {
                        this.endField()
                        this.recordHasBytes = true
                    } else if (b === LF || b === CR) {
                        if (this.lineEnd(b)) return i
                    } else {
                        this.field.push(b)
                        this.state = State.Unquoted
                        this.recordHasBytes = true
                    }
                    break
                case State.Unquoted:
                    if (b === d) this.endField()
                    else if (b === LF || b === CR) {
                        if (this.lineEnd(b)) return i
                    } else this.field.push(b)
                    break
                case State.Quoted:
                    if (b === QUOTE) this.state = State.QuoteInQuoted
                    else {
                        this.field.push(b)
                        if (b === LF || b === CR) this.newPhysicalLine(b)
                    }
                    break
                case State.QuoteInQuoted:
                    if (b === QUOTE) {
                        this.field.push(QUOTE)
                        this.state = State.Quoted
                    } else if (b === d) {
                        this.endField()
                    } else if (b === LF || b === CR) {
                        if (this.lineEnd(b)) return i
                    } else {
                        this.error ??= misplacedQuote(this.fields.length + 1)
                        this.field.push(b)
                        this.state = State.AfterClose
                    }
                    break
                case State.AfterClose:
                    if (b === d) this.endField()
                    else if (b === LF || b === CR) {
                        if (this.lineEnd(b)) return i
                    } else this.field.push(b)
                    break
            }
        }
        return -1
    }

    private newPhysicalLine(b: number): void {
        this.line++
        if (b === CR) this.pendingCR = true
    }

    private endField(): void {
        this.fields.push(this.field.take())
        this.state = State.FieldStart
    }

    /**
     * A line end outside quotes: the record ends here (blank lines make no record). Returns true,
     * without ending anything, when the record is malformed and spans several lines: the
     * caller then recovers (a quote opened by mistake swallowed the lines that follow).
     */
    private lineEnd(b: number, mayRecover = true): boolean {
        if (mayRecover && this.error && this.line > this.recordLine) {
            this.stopReason = unterminated()
            return true
        }
        if (this.recordHasBytes || this.fields.length || this.error) this.endRecord()
        else this.resetRecord()
        this.newPhysicalLine(b)
        this.recordLine = this.line
        return false
    }

    private endRecord(): void {
        if (!skipping(this.state)) this.fields.push(this.field.take())
        this.out.push({ fields: this.fields, line: this.recordLine, error: this.error, ascii: !this.nonAscii })
        this.resetRecord()
    }

    private resetRecord(): void {
        this.fields = []
        this.field.reset()
        this.raw.reset()
        this.error = null
        this.state = State.FieldStart
        this.recordHasBytes = false
        this.nonAscii = false
    }

    /**
     * Report the current record as malformed at its start line and return its bytes after its
     * first line end, to be read again (null when its first line has not ended: the rest of
     * that line is then skipped).
     */
    private recover(reason: Bilingual): Buffer | null {
        const raw = Buffer.from(this.raw.buf.subarray(0, this.raw.len))
        const line = this.recordLine
        this.out.push({ fields: [], line, error: reason, ascii: true })
        this.resetRecord()
        let cut = -1
        for (let i = 0; i < raw.length; i++) {
            if (raw[i] === LF || raw[i] === CR) {
                cut = raw[i] === CR && raw[i + 1] === LF ? i + 2 : i + 1
                break
            }
        }
        if (cut < 0) {
            this.line = line
            this.recordLine = line
            this.state = State.SkipLine
            this.pendingCR = false
            return null
        }
        this.line = line + 1
        this.recordLine = this.line
        // A CR that ended the raw bytes may be followed by the LF of the same line end.
        this.pendingCR = raw[cut - 1] === CR && cut === raw.length
        return raw.subarray(cut)
    }
}
