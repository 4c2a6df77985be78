import type { Bilingual } from '../../domain/line'
import type { Parsed } from '../numbers'
import { quoteValue } from '../text'

/**
 * A cell as a source hands it over (CSV text, spreadsheet value, SQL or JSON value) → the
 * canonical text form normaliseRow reads. Spreadsheet dates become local date-times without an
 * offset (read in the facility's zone, as docs/contract.md §2 says for times without offset), numbers
 * become plain digits; anything that cannot be a ledger value is refused with a reason.
 */

export type ColumnKind = 'date' | 'time' | 'number' | 'text'

// `date`, `fee_xof`, `counted_xof`: cash counts and operator statements (bridge/reconcile/rows.ts).
const DATE_COLUMNS = new Set(['occurred_at', 'updated_at', 'date'])
const TIME_COLUMNS = new Set(['occurred_at_time', 'updated_at_time'])
const NUMBER_COLUMNS = new Set(['amount_xof', 'quantity', 'line_no', 'fee_xof', 'counted_xof'])

export function kindOfColumn(column: string): ColumnKind {
    if (DATE_COLUMNS.has(column)) return 'date'
    if (TIME_COLUMNS.has(column)) return 'time'
    if (NUMBER_COLUMNS.has(column)) return 'number'
    return 'text'
}

export interface CellOptions {
    /**
     * Spreadsheets: a Date holds the wall-clock time in its UTC fields, and a number in a date
     * column is an Excel serial day. Elsewhere both are refused in date columns.
     */
    spreadsheet: boolean
    date1904?: boolean
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Wall clock of a spreadsheet date, to the nearest second (Excel stores fractions of a day). */
function wallDate(d: Date, kind: ColumnKind): string {
    const t = new Date(Math.round(d.getTime() / 1000) * 1000)
    const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
    const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
    if (kind === 'time') return time
    if (kind === 'date') return time === '00:00:00' ? date : `${date}T${time}`
    return date
}

/** Excel serial day → Date whose UTC fields are the wall clock (1900 system, or 1904). */
export function excelSerialToDate(serial: number, date1904 = false): Date {
    const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)
    return new Date(epoch + Math.round(serial * 86_400_000))
}

function numberText(n: number): string {
    const r = Math.round(n)
    // Spreadsheet formulas leave 12499.999999999998 for 12500.
    if (Math.abs(n - r) < 1e-7 * Math.max(1, Math.abs(n))) return String(r)
    return String(n)
}

function describe(value: unknown): Bilingual {
    if (typeof value === 'boolean') return { fr: `un booléen (${value})`, en: `a boolean (${value})` }
    if (value instanceof Uint8Array) return { fr: `des octets (${value.length} octets)`, en: `bytes (${value.length} bytes)` }
    if (value instanceof Date) return { fr: 'une date', en: 'a date' }
    if (typeof value === 'number' || typeof value === 'bigint') return { fr: `un nombre (${String(value)})`, en: `a number (${String(value)})` }
    if (Array.isArray(value)) return { fr: 'une liste', en: 'a list' }
    if (typeof value === 'object') return { fr: 'un objet', en: 'an object' }
    return { fr: typeof value, en: typeof value }
}

const EXPECTED: Record<ColumnKind, Bilingual> = {
    date: { fr: 'une date-heure (ou un texte ISO 8601)', en: 'a date-time (or ISO 8601 text)' },
    time: { fr: 'une heure (HH:MM[:SS])', en: 'a time (HH:MM[:SS])' },
    number: { fr: 'un nombre ou un texte', en: 'a number or text' },
    text: { fr: 'un texte ou un nombre', en: 'text or a number' },
}

/** The reason a value of this type cannot fill this column (for errors and quarantine). */
export function wrongType(column: string, value: unknown, source?: string): Bilingual {
    const got = describe(value)
    const kind = kindOfColumn(column)
    const from = source && source !== column ? { fr: ` (colonne source « ${quoteValue(source)} »)`, en: ` (source column "${quoteValue(source)}")` } : { fr: '', en: '' }
    return {
        fr: `Type inattendu pour ${column}${from.fr} : ${got.fr}, attendu ${EXPECTED[kind].fr}`,
        en: `Unexpected type for ${column}${from.en}: ${got.en}, expected ${EXPECTED[kind].en}`,
    }
}

/** The canonical text of a cell for `column`, or the reason it has the wrong type. */
export function cellText(value: unknown, column: string, opts: CellOptions, source?: string): Parsed<string> {
    if (value === null || value === undefined) return { ok: true, value: '' }
    if (typeof value === 'string') return { ok: true, value }
    const kind = kindOfColumn(column)
    if (typeof value === 'bigint') return kind === 'date' || kind === 'time' ? { ok: false, reason: wrongType(column, value, source) } : { ok: true, value: String(value) }
    if (typeof value === 'number') {
        if (!Number.isFinite(value)) return { ok: false, reason: wrongType(column, value, source) }
        if (kind === 'date' || kind === 'time') {
            if (!opts.spreadsheet) return { ok: false, reason: wrongType(column, value, source) }
            if (kind === 'time' && (value < 0 || value >= 1)) return { ok: false, reason: wrongType(column, value, source) }
            return { ok: true, value: wallDate(excelSerialToDate(value, opts.date1904), kind) }
        }
        return { ok: true, value: numberText(value) }
    }
    if (value instanceof Date) {
        if (Number.isNaN(value.getTime()) || kind === 'number') return { ok: false, reason: wrongType(column, value, source) }
        if (opts.spreadsheet) return { ok: true, value: wallDate(value, kind) }
        // A real instant (not a wall clock): keep it exact, with Z.
        return kind === 'date' ? { ok: true, value: value.toISOString() } : { ok: false, reason: wrongType(column, value, source) }
    }
    return { ok: false, reason: wrongType(column, value, source) }
}

/** A value that is empty once turned into text (spreadsheets leave spaces in empty cells). */
export function isBlankCell(value: unknown): boolean {
    return value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
}
