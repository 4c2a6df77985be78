import i18n from '@dhis2/d2-i18n'
import {
    DataTable,
    DataTableBody,
    DataTableCell,
    DataTableColumnHeader,
    DataTableHead,
    DataTableRow,
} from '@dhis2/ui'
import React, { useState } from 'react'
import { useAppContext } from '../shared/app-context'
import { ExportToolbar } from '../shared/export-toolbar'
import { dialectFor, downloadCsv, fileNamePart, toCsv } from '../shared/csv'
import { channelLabel } from '../shared/labels'
import { MONEY_COLUMNS, reconCsvTable } from './recon-csv'
import { reconHelp, reconLabel, reconTestId, type ReconColumn } from './recon-labels'
import type { FacilityRow, ReconFigures } from './reconciliation'
import { ScrollRegion } from '../shared/scroll-region'
import styles from './reconciliation.module.css'

const COLUMNS: ReconColumn[] = ['matchedShare', ...MONEY_COLUMNS]

type Figures = ReconFigures & { matchedShare: number | null; unreconciled: number }

function FigureCells({ figures, prefix }: { figures: Figures; prefix: string }) {
    const { fmt } = useAppContext()
    return (
        <>
            {COLUMNS.map((c) => (
                <DataTableCell key={c} align="right" dataTest={`${prefix}-${reconTestId(c)}`} className={c === 'unreconciled' ? styles.strong : undefined}>
                    {c === 'matchedShare' ? fmt.percent(figures.matchedShare) : fmt.money(figures[c])}
                </DataTableCell>
            ))}
        </>
    )
}

interface Props {
    rows: FacilityRow[]
    /** For the file name. */
    context: string
    /** One facility: its channels are open from the start. */
    openAll: boolean
}

/** The facilities ranked by unreconciled amount, each openable down to its channels; CSV export. */
export function ReconTable({ rows, context, openAll }: Props) {
    const { lang } = useAppContext()
    const [open, setOpen] = useState<Record<string, boolean>>({})
    const isOpen = (id: string) => open[id] ?? openAll

    const exportCsv = () => {
        const { header, body } = reconCsvTable(rows)
        downloadCsv(`${i18n.t('reconciliation')}-${fileNamePart(context)}.csv`, toCsv(header, body, dialectFor(lang)))
    }

    return (
        <>
            <ExportToolbar className={styles.toolbar} countClassName={styles.count} count={i18n.t('{{count}} facilities, ranked by unreconciled amount', { count: rows.length })} onExport={exportCsv} dataTest="recon" />
            <ScrollRegion className={styles.tableWrap} label={i18n.t('Reconciliation')}>
                <DataTable dataTest="recon-table" layout="auto">
                    <DataTableHead>
                        <DataTableRow>
                            <DataTableColumnHeader>{i18n.t('Rank')}</DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('Facility')}</DataTableColumnHeader>
                            {COLUMNS.map((c) => (
                                <DataTableColumnHeader key={c} align="right" dataTest={`recon-header-${reconTestId(c)}`}>
                                    <span title={reconHelp(c)}>{reconLabel(c)}</span>
                                </DataTableColumnHeader>
                            ))}
                        </DataTableRow>
                    </DataTableHead>
                    <DataTableBody>
                        {rows.flatMap((r) => {
                            const expanded = r.hasData && isOpen(r.id)
                            const main = (
                                <DataTableRow key={r.id} dataTest={`recon-row-${r.id}`}>
                                    <DataTableCell dataTest={`recon-${r.id}-rank`}>{r.rank ?? ''}</DataTableCell>
                                    <DataTableCell className={styles.nameCell}>
                                        {r.hasData ? (
                                            <button
                                                type="button"
                                                className={styles.toggle}
                                                aria-expanded={expanded}
                                                data-test={`recon-${r.id}-toggle`}
                                                onClick={() => setOpen((o) => ({ ...o, [r.id]: !expanded }))}
                                                title={expanded ? i18n.t('Hide the channels') : i18n.t('Show the channels')}
                                            >
                                                <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {r.name}
                                            </button>
                                        ) : (
                                            <span className={styles.noData}>{r.name}</span>
                                        )}
                                    </DataTableCell>
                                    {r.hasData ? (
                                        <FigureCells figures={{ ...r.figures, matchedShare: r.matchedShare, unreconciled: r.unreconciled }} prefix={`recon-${r.id}`} />
                                    ) : (
                                        <DataTableCell colSpan={String(COLUMNS.length)} dataTest={`recon-${r.id}-empty`}>
                                            {i18n.t('No reconciliation for this period')}
                                        </DataTableCell>
                                    )}
                                </DataTableRow>
                            )
                            if (!expanded) return [main]
                            return [
                                main,
                                ...r.channels.map((c) => (
                                    <DataTableRow key={`${r.id}-${c.channel}`} dataTest={`recon-row-${r.id}-${c.channel}`} className={styles.channelRow}>
                                        <DataTableCell />
                                        <DataTableCell className={styles.channelName}>{channelLabel(c.channel)}</DataTableCell>
                                        <FigureCells figures={{ ...c.figures, matchedShare: c.matchedShare, unreconciled: c.unreconciled }} prefix={`recon-${r.id}-${c.channel}`} />
                                    </DataTableRow>
                                )),
                            ]
                        })}
                    </DataTableBody>
                </DataTable>
            </ScrollRegion>
        </>
    )
}
