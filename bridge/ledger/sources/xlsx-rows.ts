import fs from 'node:fs'
import type ExcelJS from 'exceljs'
import { LedgerFileError, ledgerFileError } from '../csv-source'
import type { TableRow } from './tabular'

/**
 * One sheet of an XLSX workbook as rows of cell values, with exceljs' streaming reader (the
 * workbook is never loaded whole). Styles are read so that date cells arrive as dates; the
 * values handed over are plain: string, number, boolean, Date (wall clock in its UTC fields), or
 * null — formulas give their cached result, rich text its text, a hyperlink its text.
 */

export interface XlsxOptions {
    /** Sheet name (case and surrounding spaces ignored) or 1-based position; default the first. */
    sheet?: string | number
    /** Bytes read so far, for progress. */
    onBytes?: (n: number) => void
    /** Set once the workbook says whether it counts days from 1904. */
    onDate1904?: (v: boolean) => void
}

/** An exceljs cell value → a plain value. */
export function plainCell(v: unknown): unknown {
    if (v === null || v === undefined) return null
    if (typeof v !== 'object' || v instanceof Date) return v
    const o = v as Record<string, unknown>
    if ('result' in o) return plainCell(o.result)
    if ('formula' in o || 'sharedFormula' in o) return null
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text?: string }>).map((t) => t.text ?? '').join('')
    if ('text' in o) return plainCell(o.text)
    if ('error' in o) return String(o.error)
    return v
}

/** What ExcelJS's failures mean to the person who gave the file. */
const notAWorkbook = (m: string) => ({
    fr: `classeur XLSX illisible (${m}) — est-ce bien un fichier .xlsx (pas .xls) ?`,
    en: `unreadable XLSX workbook (${m}) — is it really an .xlsx file (not .xls)?`,
})

export async function* xlsxRows(file: string, opts: XlsxOptions = {}): AsyncGenerator<TableRow> {
    let stream: fs.ReadStream
    try {
        const st = await fs.promises.stat(file)
        if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
        stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 })
    } catch (e) {
        throw ledgerFileError(file, e, notAWorkbook)
    }
    let bytes = 0
    stream.on('data', (c) => {
        bytes += c.length
        opts.onBytes?.(bytes)
    })
    // Loaded for the first workbook only: its ~500 modules would slow every run's start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { stream: excelStream } = require('exceljs') as typeof ExcelJS
    const reader = new excelStream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' })
    const wanted = opts.sheet
    const seen: string[] = []
    let found = false
    try {
        let position = 0
        for await (const ws of reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name?: string; state?: string }>) {
            position++
            const r = reader as unknown as { model?: { sheets?: Array<{ name: string }> }; properties?: { model?: { date1904?: boolean } } }
            opts.onDate1904?.(!!r.properties?.model?.date1904)
            const name = ws.name ?? `Sheet${position}`
            seen.push(name)
            const order = r.model?.sheets?.map((s) => s.name)
            const matches =
                wanted === undefined
                    ? order?.length
                        ? name === order[0]
                        : position === 1
                    : typeof wanted === 'number'
                      ? order?.length
                          ? name === order[wanted - 1]
                          : position === wanted
                      : name.trim().toLowerCase() === wanted.trim().toLowerCase()
            if (!matches) {
                // Read through a sheet we skip: when the workbook stores its sheets before the shared
                // strings, exceljs has put each in a temporary file, and deletes that file as soon as
                // we move on — an unread sheet's stream then fails to open (ENOENT), at random.
                for await (const _row of ws) void _row
                continue
            }
            found = true
            for await (const row of ws) {
                const values = row.values as unknown[]
                const cells: unknown[] = []
                for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]))
                yield { line: row.number, cells }
            }
            break
        }
    } catch (e) {
        if (e instanceof LedgerFileError) throw e
        throw ledgerFileError(file, e, notAWorkbook)
    } finally {
        stream.destroy()
    }
    if (!found) {
        const list = seen.map((s) => `« ${s} »`).join(', ') || '—'
        const listEn = seen.map((s) => `"${s}"`).join(', ') || '—'
        throw new LedgerFileError(
            file,
            typeof wanted === 'string' || typeof wanted === 'number'
                ? { fr: `Feuille « ${wanted} » absente de « ${file} » (feuilles : ${list}) : corrigez « sheet »`, en: `Sheet "${wanted}" not found in "${file}" (sheets: ${listEn}): fix "sheet"` }
                : { fr: `Aucune feuille dans « ${file} »`, en: `No sheet in "${file}"` }
        )
    }
}
