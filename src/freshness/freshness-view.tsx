import { useConfig } from '@dhis2/app-runtime'
import i18n from '@dhis2/d2-i18n'
import {
    DataTable,
    DataTableBody,
    DataTableCell,
    DataTableColumnHeader,
    DataTableHead,
    DataTableRow,
    NoticeBox,
} from '@dhis2/ui'
import React from 'react'
import { classifyError } from '../analytics/errors'
import { useAppContext } from '../shared/app-context'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import type { ViewProps } from '../shared/view-props'
import { countStates, healthOf, type FreshnessRow } from './freshness'
import { StateTag, summaryText, useFreshness } from './use-freshness'
import { ScrollRegion } from '../shared/scroll-region'
import styles from './freshness.module.css'
import { ViewHeading } from '../shared/view-heading'

function runStatusLabel(s: NonNullable<FreshnessRow['summary']>['lastRunStatus']): string {
    switch (s) {
        case 'OK':
            return i18n.t('OK')
        case 'CONFLICTS':
            return i18n.t('Values rejected by DHIS2')
        case 'QUARANTINE':
            return i18n.t('Rows quarantined')
        case 'UNREACHABLE':
            return i18n.t('DHIS2 unreachable')
        case 'FAILED':
            return i18n.t('Failed')
    }
}

/**
 * Fraîcheur des données: when each facility last synced, and how its last run went, from the run
 * summaries the bridge writes to the data store (namespace `payrev`, key `facility-<uid>`).
 * One request. 404 "namespace not found" = the bridge never ran: shown as the empty state.
 */
export function FreshnessView({ meta, ou }: ViewProps) {
    const { fmt, now } = useAppContext()
    const { systemInfo } = useConfig()
    const { loading, error, parsed, rows, refetch } = useFreshness(meta, ou)
    const analyticsAt = (systemInfo as { lastAnalyticsTableSuccess?: string } | undefined)?.lastAnalyticsTableSuccess

    const heading = <ViewHeading title={i18n.t('Data freshness')} context={ou.name} />
    const wrap = (body: React.ReactNode) => (
        <section data-test="freshness-view">
            {heading}
            {analyticsAt ? (
                <p className={styles.analyticsAt} data-test="analytics-generated-at">
                    {i18n.t('Dashboards show the data as of the last analytics table generation ({{date}}).', {
                        date: fmt.dateTime(analyticsAt),
                    })}
                </p>
            ) : null}
            {body}
        </section>
    )

    if (error) {
        if (classifyError(error).kind === 'not-found')
            return wrap(
                <EmptyState
                    title={i18n.t('The bridge has not run yet')}
                    message={i18n.t(
                        'No run summary in the DHIS2 data store (namespace payrev). The bridge has never synced to this server; run revenue-bridge sync.'
                    )}
                />
            )
        return wrap(<ErrorState error={error} onRetry={refetch} />)
    }
    if (loading || !parsed) return wrap(<LoadingState />)
    if (!parsed.ok || !rows) return wrap(<ErrorState error={parsed.ok ? null : parsed.error} />)
    if (rows.length === 0) return wrap(<EmptyState message={i18n.t('No facility under this organisation unit.')} />)

    const when = (iso: string | null) =>
        iso ? (
            <>
                <span className={styles.when}>{fmt.dateTime(iso)}</span>
                <span className={styles.ago}>{fmt.relative(iso, now)}</span>
            </>
        ) : (
            '—'
        )
    const counts = countStates(rows)

    return wrap(
        <>
            {rows.every((r) => r.summary === null) ? (
                <EmptyState
                    title={i18n.t('The bridge has not run yet')}
                    message={i18n.t('No facility under this organisation unit has a run summary yet.')}
                />
            ) : null}
            <p className={styles.summary} data-test="freshness-summary">
                {summaryText(counts)}
            </p>
            {parsed.invalidKeys.length > 0 ? (
                <div className={styles.notice}>
                    <NoticeBox warning title={i18n.t('Unreadable entries')} dataTest="freshness-invalid">
                        {i18n.t('These data store entries do not have the expected form and are ignored ({{keys}}).', {
                            keys: parsed.invalidKeys.join(', '),
                        })}
                    </NoticeBox>
                </div>
            ) : null}
            <ScrollRegion className={styles.tableWrap} label={i18n.t('Data freshness')}>
                <DataTable dataTest="freshness-table" layout="auto">
                    <DataTableHead>
                        <DataTableRow>
                            <DataTableColumnHeader>{i18n.t('Facility')}</DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('State')}</DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('Last run')}</DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('Last run result')}</DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('Last delivery')}</DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('Last fully clean run')}</DataTableColumnHeader>
                            <DataTableColumnHeader align="right">{i18n.t('New problems')}</DataTableColumnHeader>
                            <DataTableColumnHeader align="right">{i18n.t('Still quarantined')}</DataTableColumnHeader>
                            <DataTableColumnHeader align="right">{i18n.t('Values sent')}</DataTableColumnHeader>
                            <DataTableColumnHeader align="right">{i18n.t('Rejected values')}</DataTableColumnHeader>
                            <DataTableColumnHeader align="right">{i18n.t('Quarantined rows')}</DataTableColumnHeader>
                            <DataTableColumnHeader align="right">{i18n.t('Rows read')}</DataTableColumnHeader>
                            <DataTableColumnHeader>{i18n.t('Bridge version')}</DataTableColumnHeader>
                        </DataTableRow>
                    </DataTableHead>
                    <DataTableBody>
                        {rows.map((r) => {
                            const s = r.summary
                            const h = s ? healthOf(s) : null
                            const t = (c: string) => `freshness-${r.orgUnit}-${c}`
                            return (
                                <DataTableRow key={r.orgUnit} dataTest={`freshness-row-${r.orgUnit}`}>
                                    <DataTableCell dataTest={t('name')}>{r.name}</DataTableCell>
                                    <DataTableCell dataTest={t('state')}>
                                        <StateTag state={r.state} />
                                    </DataTableCell>
                                    <DataTableCell dataTest={t('last-run')}>{when(s?.lastRunAt ?? null)}</DataTableCell>
                                    <DataTableCell dataTest={t('status')}>{s ? runStatusLabel(s.lastRunStatus) : '—'}</DataTableCell>
                                    <DataTableCell dataTest={t('last-delivery')}>{when(h?.lastDeliveryAt ?? null)}</DataTableCell>
                                    <DataTableCell dataTest={t('last-clean')}>{when(h?.lastCleanRunAt ?? null)}</DataTableCell>
                                    <DataTableCell align="right" dataTest={t('new-problems')} error={!!h && h.newProblems > 0}>
                                        {h ? fmt.count(h.newProblems) : '—'}
                                    </DataTableCell>
                                    <DataTableCell align="right" dataTest={t('still-quarantined')}>
                                        {h ? fmt.count(h.stillQuarantined) : '—'}
                                    </DataTableCell>
                                    <DataTableCell align="right" dataTest={t('values-sent')}>
                                        {s ? fmt.count(s.valuesSent) : '—'}
                                    </DataTableCell>
                                    <DataTableCell align="right" dataTest={t('conflicts')} error={!!s && s.conflicts > 0}>
                                        {s ? fmt.count(s.conflicts) : '—'}
                                    </DataTableCell>
                                    <DataTableCell align="right" dataTest={t('quarantined')}>
                                        {s ? fmt.count(s.quarantined) : '—'}
                                    </DataTableCell>
                                    <DataTableCell align="right" dataTest={t('lines-read')}>
                                        {s ? fmt.count(s.linesRead) : '—'}
                                    </DataTableCell>
                                    <DataTableCell dataTest={t('bridge-version')}>{s ? s.bridgeVersion : '—'}</DataTableCell>
                                </DataTableRow>
                            )
                        })}
                    </DataTableBody>
                </DataTable>
            </ScrollRegion>
        </>
    )
}
