import { csvPercent, type CsvCell } from '../shared/csv'
import { channelLabel } from '../shared/labels'
import { reconLabel, type ReconColumn } from './recon-labels'
import type { FacilityRow, ReconFigures } from './reconciliation'
import i18n from '@dhis2/d2-i18n'

/** Columns of the table and of its CSV export, left to right. */
export const MONEY_COLUMNS = ['matched', 'ledgerOnly', 'statementOnly', 'amountGap', 'fees', 'cashShort', 'cashOver', 'unreconciled'] as const

function figuresCells(f: ReconFigures & { unreconciled: number }): CsvCell[] {
    return MONEY_COLUMNS.map((c) => Math.round(f[c]))
}

/**
 * The export: one line per facility (channel "Total"), then one per channel of that facility,
 * money as plain FCFA numbers and the matched share in % (so a spreadsheet can sort and sum).
 */
export function reconCsvTable(rows: readonly FacilityRow[]): { header: string[]; body: CsvCell[][] } {
    const label = (c: ReconColumn) => reconLabel(c)
    const header = [
        i18n.t('Rank'),
        i18n.t('Facility'),
        i18n.t('Channel'),
        `${label('matchedShare')} (%)`,
        ...MONEY_COLUMNS.map((c) => `${label(c)} (FCFA)`),
    ]
    const body: CsvCell[][] = []
    for (const r of rows) {
        if (!r.hasData) {
            body.push([null, r.name, i18n.t('Total'), null, ...MONEY_COLUMNS.map(() => null)])
            continue
        }
        body.push([r.rank, r.name, i18n.t('Total'), csvPercent(r.matchedShare), ...figuresCells({ ...r.figures, unreconciled: r.unreconciled })])
        for (const c of r.channels)
            body.push([r.rank, r.name, channelLabel(c.channel), csvPercent(c.matchedShare), ...figuresCells({ ...c.figures, unreconciled: c.unreconciled })])
    }
    return { header, body }
}
