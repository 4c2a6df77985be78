/**
 * CSV for spreadsheets (pure). French Excel expects `;` between cells and a decimal comma, so the
 * separator follows the language. A text cell that starts like a formula (`=`, `+`, `-`, `@`, tab,
 * carriage return) is prefixed with `'` so that a spreadsheet shows it as text instead of running
 * it (CSV injection). Numbers are the app's own and are written as plain numbers.
 */
export type CsvCell = string | number | null

export interface CsvDialect {
    separator: ',' | ';'
    decimal: '.' | ','
}

export const dialectFor = (language: string): CsvDialect =>
    language.startsWith('fr') ? { separator: ';', decimal: ',' } : { separator: ',', decimal: '.' }

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(cell: CsvCell, d: CsvDialect): string {
    if (cell === null) return ''
    if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell).replace('.', d.decimal) : ''
    const text = FORMULA_START.test(cell) ? `'${cell}` : cell
    return /[",;\r\n]/.test(text) || text.includes(d.separator) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A ratio as a percent with one decimal (a number, so the spreadsheet can sort and sum it). */
export const csvPercent = (r: number | null): CsvCell => (r === null ? null : Math.round(r * 1000) / 10)

/** A name as part of a file name: letters, digits, `_` and `-` only. */
export const fileNamePart = (s: string): string => s.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-|-$/g, '')

export function toCsv(header: string[], rows: CsvCell[][], d: CsvDialect): string {
    return [header, ...rows].map((r) => r.map((c) => csvCell(c, d)).join(d.separator)).join('\r\n') + '\r\n'
}

/** Starts a download in the browser. The BOM lets Excel read the file as UTF-8 (accents). */
export function downloadCsv(filename: string, csv: string): void {
    const blob = new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    a.style.display = 'none'
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 0)
}
