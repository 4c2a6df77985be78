import i18n from '@dhis2/d2-i18n'
import { Card } from '@dhis2/ui'
import React, { useMemo } from 'react'
import { facilitiesOuDimension } from '../analytics/requests'
import { useAppContext } from '../shared/app-context'
import { periodLabel } from '../shared/labels'
import { facilitiesUnder } from '../shared/metadata/metadata'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import type { ViewProps } from '../shared/view-props'
import { reconHelp, reconLabel, reconTestId, type ReconColumn } from './recon-labels'
import { ReconTable } from './recon-table'
import { ReconTrendChart } from './recon-trend'
import { facilityRows, matchedShare, totalOf, trend, trendMonths, unreconciled } from './reconciliation'
import { useReconAnalytics, useReconMetadata } from './use-reconciliation'
import styles from './reconciliation.module.css'
import { LineageButton } from '../lineage/lineage-panel'
import { ViewHeading } from '../shared/view-heading'

const KPIS: ReconColumn[] = ['matchedShare', 'unreconciled', 'ledgerOnly', 'statementOnly', 'amountGap', 'cashShort', 'cashOver', 'fees']

/**
 * Rapprochement: for the facilities under the selection, what the ledger recorded against what the
 * operators settled and the cash counted (the monthly totals `revenue-bridge reconcile` sends,
 * docs/contract.md §7): totals of the selection, a 12-month trend, and the facilities ranked by
 * unreconciled amount, each down to its channels. Definitions in ./reconciliation.ts.
 */
export function ReconciliationView({ meta, ou, periodId, range }: ViewProps) {
    const { fmt } = useAppContext()
    const metadata = useReconMetadata()
    const recon = metadata.data?.ok ? metadata.data.recon : null
    // The facilities: those the reconciliation data set is assigned to (else the revenue ones).
    const facilityMeta = useMemo(() => (recon && recon.facilities.length > 0 ? { ...meta, facilities: recon.facilities } : meta), [meta, recon])
    const ouItems = useMemo(() => facilitiesOuDimension(facilityMeta, ou), [facilityMeta, ou])
    const months = trendMonths(range)
    const analytics = useReconAnalytics(meta, recon, ouItems, months)

    const heading = (
        <ViewHeading title={i18n.t('Reconciliation')} context={`${ou.name} · ${periodLabel(periodId, fmt)}`}>
            <LineageButton orgUnit={ou} range={range} family="recon" small />
        </ViewHeading>
    )
    const wrap = (body: React.ReactNode) => (
        <section data-test="reconciliation-view">
            {heading}
            {body}
        </section>
    )
    if (metadata.error) return wrap(<ErrorState error={metadata.error} onRetry={metadata.refetch} />)
    if (!metadata.data) return wrap(<LoadingState />)
    if (!metadata.data.ok)
        return wrap(
            <EmptyState
                title={i18n.t('Reconciliation not installed')}
                message={i18n.t(
                    'This DHIS2 server does not have the payment reconciliation metadata ({{codes}}). An administrator must run "revenue-bridge setup" with statements configured.',
                    { codes: metadata.data.missing.join(', ') }
                )}
            />
        )
    if (ouItems.length === 0)
        return wrap(<EmptyState title={i18n.t('No facility')} message={i18n.t('No facility under this organisation unit reconciles its payments.')} />)
    if (analytics.error) return wrap(<ErrorState error={analytics.error} onRetry={analytics.refetch} />)
    if (!analytics.data) return wrap(<LoadingState />)

    const facts = analytics.data
    const assigned = facilitiesUnder(facilityMeta, ou.id)
    const facilities = assigned.length > 0 ? assigned : [...new Set(facts.map((f) => f.ou))].map((id) => ({ id, name: id }))
    const rows = facilityRows(facts, facilities, range, fmt.locale)
    if (!rows.some((r) => r.hasData))
        return wrap(<EmptyState message={i18n.t('No reconciliation for this period — are statements configured and has "revenue-bridge reconcile" run?')} />)

    const total = totalOf(rows)
    const kpi: Record<ReconColumn, number | null> = { ...total, matchedShare: matchedShare(total), unreconciled: unreconciled(total) }
    const points = trend(
        facts,
        facilities.map((f) => f.id),
        months.slice(-12)
    )

    return wrap(
        <>
            <div className={styles.kpis}>
                {KPIS.map((k) => (
                    <Card key={k} className={styles.card} dataTest={`recon-kpi-${reconTestId(k)}`}>
                        <div className={styles.cardBody}>
                            <h3 className={styles.kpiLabel}>{reconLabel(k)}</h3>
                            <div className={styles.kpiValue} data-test={`recon-kpi-${reconTestId(k)}-value`}>
                                {k === 'matchedShare' ? fmt.percent(kpi[k]) : fmt.money(kpi[k])}
                            </div>
                            <div className={styles.kpiHelp}>{reconHelp(k)}</div>
                        </div>
                    </Card>
                ))}
            </div>
            <ReconTrendChart data={points} title={i18n.t('Unreconciled amounts and matched share, last 12 months')} />
            <h3 className={styles.subheading}>{i18n.t('Facilities ranked by unreconciled amount')}</h3>
            <ReconTable rows={rows} context={`${ou.name}-${periodId}`} openAll={rows.length === 1} />
        </>
    )
}
