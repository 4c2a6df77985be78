/**
 * CSV cells for files people open in Excel/LibreOffice: quoted when needed, and cells that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed with an apostrophe
 * (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
    let s = value === null || value === undefined ? '' : String(value)
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
    return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(cells: unknown[], delimiter = ','): string {
    return cells.map(csvCell).join(delimiter)
}
