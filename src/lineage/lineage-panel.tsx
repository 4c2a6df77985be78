import i18n from '@dhis2/d2-i18n'
import { Button, DataTable, DataTableBody, DataTableCell, DataTableColumnHeader, DataTableHead, DataTableRow, Modal, ModalActions, ModalContent, ModalTitle, NoticeBox, Tag } from '@dhis2/ui'
import { lineageKey, type FacilityLineage } from '@recettes/contract'
import React, { useState } from 'react'
import type { MonthRange } from '../compute/periods'
import { useAppContext } from '../shared/app-context'
import { keys } from '../shared/data/keys'
import { useDhis2Query } from '../shared/data/use-dhis2-query'
import { periodLabel } from '../shared/labels'
import { ErrorState, LoadingState } from '../shared/states'
import { classifyError } from '../analytics/errors'
import { periodsInRange, selectLineage, type LineageFamily, type PeriodRow } from './lineage'
import styles from './lineage.module.css'

interface Target {
    id: string
    name: string
}

interface PanelProps {
    orgUnit: Target
    range: MonthRange
    /** Revenue (overview, league table) by default; 'lmis' from the pharmacy view, 'recon' from the reconciliation view. */
    family?: LineageFamily
}

/** The button of a facility × month (overview heading, league table row, pharmacy and reconciliation headings) that opens the panel. */
export function LineageButton({ orgUnit, range, family = 'revenue', small }: PanelProps & { small?: boolean }) {
    const [open, setOpen] = useState(false)
    const suffix = family === 'revenue' ? '' : `-${family}`
    return (
        <>
            <Button small={small} secondary onClick={() => setOpen(true)} dataTest={`lineage-open-${orgUnit.id}${suffix}`}>
                {i18n.t('Where does this figure come from?')}
            </Button>
            {open ? <LineagePanel orgUnit={orgUnit} range={range} family={family} onClose={() => setOpen(false)} /> : null}
        </>
    )
}

function VerifyLine({ entry, row }: { entry: FacilityLineage; row: PeriodRow }) {
    const { fmt } = useAppContext()
    if (!entry.verify) return <div data-test="lineage-verify">{i18n.t('Never checked against DHIS2 (revenue-bridge verify)')}</div>
    const when = fmt.dateTime(entry.verify.at)
    return (
        <div data-test="lineage-verify">
            {row.drifted === null ? (
                <Tag neutral maxWidth="none">{i18n.t('Checked on {{when}} by an earlier version of the bridge, which did not keep this result per month — run "revenue-bridge verify" again', { when })}</Tag>
            ) : row.drifted === 0 ? (
                <Tag positive maxWidth="none">{i18n.t('Checked on {{when}} — DHIS2 holds the {{total}} values sent', { when, total: row.values })}</Tag>
            ) : (
                <Tag negative maxWidth="none">{i18n.t('Checked on {{when}} — {{drifted}} of {{total}} values differ in DHIS2 from what was sent', { when, drifted: row.drifted, total: row.values })}</Tag>
            )}
        </div>
    )
}

function PeriodSection({ entry, row }: { entry: FacilityLineage; row: PeriodRow }) {
    const { fmt } = useAppContext()
    return (
        <section className={styles.period} data-test={`lineage-period-${row.period}`}>
            <h3 className={styles.periodTitle}>{periodLabel(row.period, fmt)}</h3>
            <p data-test="lineage-sources">
                {i18n.t('Sources — {{list}}', { list: row.sources.length ? row.sources.join(', ') : i18n.t('unknown (lines recorded before traceability)') })}
            </p>
            <DataTable layout="auto" dataTest="lineage-runs">
                <DataTableHead>
                    <DataTableRow>
                        <DataTableColumnHeader>{i18n.t('Run')}</DataTableColumnHeader>
                        <DataTableColumnHeader>{i18n.t('Sent on')}</DataTableColumnHeader>
                        <DataTableColumnHeader align="right">{i18n.t('Values sent')}</DataTableColumnHeader>
                        <DataTableColumnHeader align="right">{i18n.t('Lines read by the run')}</DataTableColumnHeader>
                        <DataTableColumnHeader align="right">{i18n.t('Quarantined by the run')}</DataTableColumnHeader>
                    </DataTableRow>
                </DataTableHead>
                <DataTableBody>
                    {row.runs.map((r) => (
                        <DataTableRow key={r.runId} dataTest={`lineage-run-${r.runId}`}>
                            <DataTableCell>{`#${r.runId}`}</DataTableCell>
                            <DataTableCell>{fmt.dateTime(r.at)}</DataTableCell>
                            <DataTableCell align="right">{fmt.count(r.valuesSent)}</DataTableCell>
                            <DataTableCell align="right">{fmt.count(r.linesRead)}</DataTableCell>
                            <DataTableCell align="right">{fmt.count(r.quarantined)}</DataTableCell>
                        </DataTableRow>
                    ))}
                </DataTableBody>
            </DataTable>
            <VerifyLine entry={entry} row={row} />
        </section>
    )
}

/** What the panel says of each family: what its values are, when none was sent, where their lines are. */
function familyText(family: LineageFamily, name: string): { intro: string | null; none: string; hint: string } {
    switch (family) {
        case 'revenue':
            return {
                intro: null,
                none: i18n.t('The bridge sent no value of {{name}} for the selected months.', { name }),
                hint: i18n.t('The receipts behind each figure stay at the hospital — ask the IT officer for "revenue-bridge explain".'),
            }
        case 'lmis':
            return {
                intro: i18n.t('Quantities sold that the bridge sent to the LMIS data set, counted from the pharmacy lines of the cash ledger.'),
                none: i18n.t('The bridge sent no LMIS value of {{name}} for the selected months.', { name }),
                hint: i18n.t('The pharmacy lines behind each quantity stay at the hospital — ask the IT officer for "revenue-bridge explain" with the LMIS data element.'),
            }
        case 'recon':
            return {
                intro: i18n.t("Reconciliation totals that the bridge sent to DHIS2, from the operators' statements and cash counts checked against the cash ledger."),
                none: i18n.t('The bridge sent no reconciliation total of {{name}} for the selected months.', { name }),
                hint: i18n.t('The statement rows and receipts behind each total stay at the hospital — ask the finance office for "revenue-bridge reconcile --month … --out".'),
            }
    }
}

/**
 * « D'où vient ce chiffre ? »: for one facility and the selected months, the runs that sent its
 * values, the sources by name and the last verify — what can be shown without any line leaving
 * the hospital. The lines themselves: `revenue-bridge explain` on the hospital's machine.
 */
export function LineagePanel({ orgUnit, range, family = 'revenue', onClose }: PanelProps & { onClose: () => void }) {
    const { loading, error, data, refetch } = useDhis2Query(keys.dataStoreEntry(lineageKey(orgUnit.id)), selectLineage)
    const rows = data ? periodsInRange(data, range, family) : []
    const text = familyText(family, orgUnit.name)
    let body: React.ReactNode
    // A 404: the bridge has published nothing for this org unit (a district, or never synced).
    if (error && classifyError(error).kind === 'not-found') body = <NoticeBox title={i18n.t('Nothing published yet')}>{i18n.t('The bridge has published no traceability for {{name}} — choose a facility, or wait for its next sync.', { name: orgUnit.name })}</NoticeBox>
    else if (error) body = <ErrorState error={error} onRetry={refetch} />
    else if (loading || !data) body = <LoadingState />
    else if (!rows.length)
        body = <NoticeBox title={i18n.t('No value sent for these months')}>{text.none}</NoticeBox>
    else body = rows.map((r) => <PeriodSection key={r.period} entry={data} row={r} />)
    return (
        <Modal onClose={onClose} large position="middle" dataTest="lineage-panel">
            <ModalTitle>{`${i18n.t('Where does this figure come from?')} — ${orgUnit.name}`}</ModalTitle>
            <ModalContent>
                {text.intro ? <p data-test="lineage-family">{text.intro}</p> : null}
                {body}
                <p className={styles.hint}>{text.hint}</p>
            </ModalContent>
            <ModalActions>
                <Button onClick={onClose} dataTest="lineage-close">
                    {i18n.t('Close')}
                </Button>
            </ModalActions>
        </Modal>
    )
}
