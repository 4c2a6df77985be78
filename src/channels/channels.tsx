import i18n from '@dhis2/d2-i18n'
import {
    DataTable,
    DataTableBody,
    DataTableCell,
    DataTableColumnHeader,
    DataTableHead,
    DataTableRow,
} from '@dhis2/ui'
import React from 'react'
import { channelSeriesRequest, trendWindow } from '../analytics/requests'
import { channelFigures, seriesByChannel, totalsOf, inMonths } from '../compute/kpis'
import { rangeLength } from '../compute/periods'
import { useAppContext } from '../shared/app-context'
import { Change } from '../shared/change'
import { StackedChannelChart } from '../shared/charts'
import { channelLabel, periodLabel } from '../shared/labels'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import { useAnalytics } from '../shared/use-analytics'
import type { ViewProps } from '../shared/view-props'
import { ScrollRegion } from '../shared/scroll-region'
import styles from './channels.module.css'
import { ViewHeading } from '../shared/view-heading'
import { LineageButton } from '../lineage/lineage-panel'

const testId = (c: string): string => c.toLowerCase().replace(/_/g, '-')

/**
 * Canaux de paiement: per channel, value and count, shares, failure rate and average ticket for
 * the selection, and value and count by month. One analytics request (the same as the
 * overview's first).
 */
export function ChannelsView({ meta, ou, periodId, range }: ViewProps) {
    const { fmt } = useAppContext()
    const requests = { channels: channelSeriesRequest(meta, ou.id, range) }
    const { loading, error, results, refetch } = useAnalytics(requests, meta)
    const heading = (
        <ViewHeading title={i18n.t('Payment channels')} context={`${ou.name} · ${periodLabel(periodId, fmt)}`}>
            <LineageButton orgUnit={ou} range={range} small />
        </ViewHeading>
    )
    if (error) return <section data-test="channels-view">{heading}<ErrorState error={error} onRetry={refetch} /></section>
    if (loading || !results) return <section data-test="channels-view">{heading}<LoadingState /></section>

    const facts = results.channels.facts
    const hasData = totalsOf(facts, inMonths(range)).hasData
    const rows = channelFigures(facts, range)
    const window = trendWindow(range)
    const previousLabel = rangeLength(range) === 1 ? i18n.t('vs previous month') : i18n.t('vs previous period')

    return (
        <section data-test="channels-view">
            {heading}
            {hasData ? (
                <ScrollRegion className={styles.tableWrap} label={i18n.t('Payment channels')}>
                    <DataTable dataTest="channels-table" layout="auto">
                        <DataTableHead>
                            <DataTableRow>
                                <DataTableColumnHeader>{i18n.t('Channel')}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{i18n.t('Gross revenue')}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{i18n.t('Share of value')}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{i18n.t('Successful payments')}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{i18n.t('Share of count')}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{i18n.t('Failed payment rate')}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{i18n.t('Average ticket')}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{previousLabel}</DataTableColumnHeader>
                                <DataTableColumnHeader align="right">{i18n.t('vs same period last year')}</DataTableColumnHeader>
                            </DataTableRow>
                        </DataTableHead>
                        <DataTableBody>
                            {rows.map((r) => {
                                const id = testId(r.channel)
                                return (
                                    <DataTableRow key={r.channel} dataTest={`channel-row-${id}`}>
                                        <DataTableCell>{channelLabel(r.channel)}</DataTableCell>
                                        <DataTableCell align="right" dataTest={`channel-${id}-gross`}>
                                            {fmt.money(r.gross)}
                                        </DataTableCell>
                                        <DataTableCell align="right" dataTest={`channel-${id}-gross-share`}>
                                            {fmt.percent(r.grossShare)}
                                        </DataTableCell>
                                        <DataTableCell align="right" dataTest={`channel-${id}-payments`}>
                                            {fmt.count(r.payments)}
                                        </DataTableCell>
                                        <DataTableCell align="right" dataTest={`channel-${id}-payments-share`}>
                                            {fmt.percent(r.paymentsShare)}
                                        </DataTableCell>
                                        <DataTableCell align="right" dataTest={`channel-${id}-failure-rate`}>
                                            {fmt.percent(r.failureRate)}
                                        </DataTableCell>
                                        <DataTableCell align="right" dataTest={`channel-${id}-average-ticket`}>
                                            {fmt.money(r.averageTicket)}
                                        </DataTableCell>
                                        <DataTableCell align="right">
                                            <Change value={r.previousChange} kind="money" dataTest={`channel-${id}-previous`} />
                                        </DataTableCell>
                                        <DataTableCell align="right">
                                            <Change value={r.yearChange} kind="money" dataTest={`channel-${id}-year`} />
                                        </DataTableCell>
                                    </DataTableRow>
                                )
                            })}
                        </DataTableBody>
                    </DataTable>
                </ScrollRegion>
            ) : (
                <EmptyState />
            )}
            {facts.length > 0 ? (
                <div className={styles.charts}>
                    <StackedChannelChart
                        data={seriesByChannel(facts, 'PAYREV_GROSS', window)}
                        format={(n) => fmt.money(n)}
                        title={i18n.t('Gross revenue by channel and month')}
                        dataTest="channels-value-chart"
                    />
                    <StackedChannelChart
                        data={seriesByChannel(facts, 'PAYREV_PAYMENTS', window)}
                        format={(n) => fmt.count(n)}
                        title={i18n.t('Successful payments by channel and month')}
                        dataTest="channels-count-chart"
                    />
                </div>
            ) : null}
        </section>
    )
}
