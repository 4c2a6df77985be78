import i18n from '@dhis2/d2-i18n'
import React from 'react'
import { overviewRequests, trendWindow } from '../analytics/requests'
import { mixByService, overviewFigures, seriesByChannel } from '../compute/kpis'
import { isoMonth, rangeLength, yearToDate } from '../compute/periods'
import { useAppContext } from '../shared/app-context'
import { ServiceMixChart, StackedChannelChart } from '../shared/charts'
import { periodLabel } from '../shared/labels'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import { useAnalytics } from '../shared/use-analytics'
import type { ViewProps } from '../shared/view-props'
import { LineageButton } from '../lineage/lineage-panel'
import { ViewHeading } from '../shared/view-heading'
import { KpiCard } from './kpi-card'
import styles from './overview.module.css'

/**
 * Vue d'ensemble: eight cards with their changes, the revenue trend over 24 months by channel and
 * the mix by service. Two analytics requests (see analytics/requests.ts for why not one).
 */
export function OverviewView({ meta, ou, periodId, range }: ViewProps) {
    const { fmt } = useAppContext()
    const requests = overviewRequests(meta, ou.id, range)
    const { loading, error, results, refetch } = useAnalytics(requests, meta)

    const heading = (
        <ViewHeading title={i18n.t('Overview')} context={`${ou.name} · ${periodLabel(periodId, fmt)}`}>
            <LineageButton orgUnit={ou} range={range} small />
        </ViewHeading>
    )
    if (error) return <section data-test="overview-view">{heading}<ErrorState error={error} onRetry={refetch} /></section>
    if (loading || !results) return <section data-test="overview-view">{heading}<LoadingState /></section>

    const facts = results.channels.facts
    const figures = overviewFigures(facts, range)
    const window = trendWindow(range)
    const ytd = yearToDate(range)
    const previousLabel = rangeLength(range) === 1 ? i18n.t('vs previous month') : i18n.t('vs previous period')
    const ytdLabel = i18n.t('Year to date ({{period}})', { period: fmt.monthRange(isoMonth(ytd.start), isoMonth(ytd.end)) })

    return (
        <section data-test="overview-view">
            {heading}
            {figures.hasData ? (
                <div className={styles.kpis}>
                    {figures.kpis.map((k) => (
                        <KpiCard key={k.key} kpi={k} previousLabel={previousLabel} ytdLabel={ytdLabel} />
                    ))}
                </div>
            ) : (
                <EmptyState />
            )}
            <div className={styles.charts}>
                {facts.length > 0 ? (
                    <StackedChannelChart
                        data={seriesByChannel(facts, 'PAYREV_GROSS', window)}
                        format={(n) => fmt.money(n)}
                        title={i18n.t('Gross revenue by payment channel, last {{count}} months', { count: rangeLength(window) })}
                        dataTest="trend-chart"
                    />
                ) : null}
                {figures.hasData ? (
                    <ServiceMixChart mix={mixByService(results.services.facts, range)} title={i18n.t('Gross revenue by service')} />
                ) : null}
            </div>
        </section>
    )
}
