import fs from 'node:fs'
import path from 'node:path'
import type ExcelJS from 'exceljs'
import { CATEGORY_LABELS, type ReconCash, type ReconItem } from '../../contract/reconciliation'
import { csvCell, csvLine } from '../report/csv'
import type { Lang } from '../report/lang'

/**
 * `reconcile --out FILE.csv|.xlsx`: the item-level detail for the finance office. Phone numbers
 * are already masked to their last four digits (bridge/reconcile/rows.ts); text cells that a
 * spreadsheet would run as a formula get an apostrophe, as in the quarantine export. XLSX: a
 * sheet of items and a sheet of cash; CSV: the items, and the cash in FILE-caisse.csv beside it.
 */
const ITEM_COLUMNS = [
    ['category', 'catégorie', 'category'],
    ['label', 'libellé', 'label'],
    ['facility', 'structure', 'facility'],
    ['channel', 'moyen', 'channel'],
    ['type', 'type', 'type'],
    ['matchedBy', 'rapproché par', 'matched by'],
    ['transactionId', 'reçu (registre)', 'receipt (ledger)'],
    ['reference', 'référence (relevé)', 'reference (statement)'],
    ['ledgerAmount', 'montant registre', 'ledger amount'],
    ['statementAmount', 'montant relevé', 'statement amount'],
    ['gap', 'écart', 'gap'],
    ['fee', 'frais', 'fee'],
    ['ledgerStatus', 'statut registre', 'ledger status'],
    ['statementStatus', 'statut relevé', 'statement status'],
    ['ledgerAt', 'date registre', 'ledger time'],
    ['statementAt', 'date relevé', 'statement time'],
    ['msisdn', 'téléphone (masqué)', 'phone (masked)'],
] as const

const CASH_COLUMNS = [
    ['facility', 'structure', 'facility'],
    ['date', 'jour', 'day'],
    ['cashier', 'caissier', 'cashier'],
    ['expected', 'attendu', 'expected'],
    ['counted', 'compté', 'counted'],
    ['variance', 'écart', 'variance'],
    ['flag', 'résultat', 'result'],
] as const

const header = (cols: ReadonlyArray<readonly [string, string, string]>, lang: Lang) => cols.map((c) => (lang === 'fr' ? c[1] : c[2]))

function itemCells(i: ReconItem, lang: Lang): unknown[] {
    return ITEM_COLUMNS.map(([k]) => (k === 'label' ? CATEGORY_LABELS[i.category][lang] : (i as Record<string, unknown>)[k]))
}
const cashCells = (c: ReconCash): unknown[] => CASH_COLUMNS.map(([k]) => (c as Record<string, unknown>)[k])

/** The same escaping as csvCell for a spreadsheet's text cell (without the CSV quoting). */
function sheetValue(v: unknown): unknown {
    if (typeof v !== 'string') return v ?? null
    return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
}

/** Writes the detail; returns the files written. */
export async function writeReconDetail(file: string, items: ReconItem[], cash: ReconCash[], lang: Lang): Promise<string[]> {
    if (path.extname(file).toLowerCase() === '.xlsx') {
        const { Workbook } = require('exceljs') as typeof ExcelJS
        const wb = new Workbook()
        const add = (name: string, head: string[], rows: unknown[][]) => {
            const ws = wb.addWorksheet(name)
            ws.addRow(head).font = { bold: true }
            for (const r of rows) ws.addRow(r.map(sheetValue))
            ws.views = [{ state: 'frozen', ySplit: 1 }]
        }
        add(lang === 'fr' ? 'Détail' : 'Items', header(ITEM_COLUMNS, lang), items.map((i) => itemCells(i, lang)))
        add(lang === 'fr' ? 'Caisse' : 'Cash', header(CASH_COLUMNS, lang), cash.map(cashCells))
        await wb.xlsx.writeFile(file)
        return [file]
    }
    const write = (f: string, head: string[], rows: unknown[][]) => fs.writeFileSync(f, [head.map(csvCell).join(','), ...rows.map((r) => csvLine(r))].join('\r\n') + '\r\n', 'utf8')
    write(file, header(ITEM_COLUMNS, lang), items.map((i) => itemCells(i, lang)))
    const written = [file]
    if (cash.length) {
        const ext = path.extname(file)
        const cashFile = `${file.slice(0, file.length - ext.length)}-${lang === 'fr' ? 'caisse' : 'cash'}${ext || '.csv'}`
        write(cashFile, header(CASH_COLUMNS, lang), cash.map(cashCells))
        written.push(cashFile)
    }
    return written
}
