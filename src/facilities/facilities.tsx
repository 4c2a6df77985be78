import i18n from '@dhis2/d2-i18n'
import {
    DataTable,
    DataTableBody,
    DataTableCell,
    DataTableColumnHeader,
    DataTableHead,
    DataTableRow,
} from '@dhis2/ui'
import React, { useMemo, useState } from 'react'
import { comparisonRanges, facilitiesOuDimension, facilitiesRequest } from '../analytics/requests'
import { rangeLength } from '../compute/periods'
import { useAppContext } from '../shared/app-context'
import { ExportToolbar } from '../shared/export-toolbar'
import { Change } from '../shared/change'
import { csvPercent, dialectFor, downloadCsv, fileNamePart, toCsv, type CsvCell } from '../shared/csv'
import { periodLabel } from '../shared/labels'
import { LineageButton } from '../lineage/lineage-panel'
import { facilitiesUnder, type OrgUnitRef } from '../shared/metadata/metadata'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import { useAnalytics } from '../shared/use-analytics'
import type { ViewProps } from '../shared/view-props'
import { leagueRows, sortRows, type LeagueColumn, type LeagueRow, type SortDirection } from './league'
import { ScrollRegion } from '../shared/scroll-region'
import styles from './facilities.module.css'
import { ViewHeading } from '../shared/view-heading'

interface Props extends ViewProps {
    onDrill: (facility: OrgUnitRef) => void
}

function columnLabel(c: LeagueColumn, previousLabel: string): string {
    switch (c) {
        case 'name':
            return i18n.t('Facility')
        case 'gross':
            return i18n.t('Gross revenue')
        case 'previousGrowth':
            return previousLabel
        case 'yearGrowth':
            return i18n.t('vs same period last year')
        case 'digitalShare':
            return i18n.t('Digital share (value)')
        case 'averageTicket':
            return i18n.t('Average ticket')
        case 'refundRate':
            return i18n.t('Refund rate')
        case 'failureRate':
            return i18n.t('Failed payment rate')
    }
}

const COLUMNS: LeagueColumn[] = ['name', 'gross', 'previousGrowth', 'yearGrowth', 'digitalShare', 'averageTicket', 'refundRate', 'failureRate']

/**
 * Établissements: a league table of the facilities under the selection. One analytics request:
 * the four data elements by channel, facility (`ou:<selection>;LEVEL-n`) and period (the
 * selection, the previous period and the same period last year, as ISO quarters/years where
 * possible).
 */
export function FacilitiesView({ meta, ou, periodId, range, onDrill }: Props) {
    const { fmt, lang } = useAppContext()
    const [sort, setSort] = useState<{ column: LeagueColumn; direction: SortDirection }>({ column: 'gross', direction: 'desc' })
    const ranges = comparisonRanges(range)
    const ouItems = useMemo(() => facilitiesOuDimension(meta, ou), [meta, ou])
    const requests = ouItems.length > 0 ? { facilities: facilitiesRequest(meta, ouItems, ranges) } : null
    const { loading, error, results, refetch } = useAnalytics(requests, meta)
    const previousLabel = rangeLength(range) === 1 ? i18n.t('vs previous month') : i18n.t('vs previous period')

    const heading = <ViewHeading title={i18n.t('Facilities')} context={`${ou.name} · ${periodLabel(periodId, fmt)}`} />
    const wrap = (body: React.ReactNode) => (
        <section data-test="facilities-view">
            {heading}
            {body}
        </section>
    )
    if (ouItems.length === 0)
        return wrap(
            <EmptyState
                title={i18n.t('No facility')}
                message={i18n.t('No facility under this organisation unit is assigned the hospital revenue data set.')}
            />
        )
    if (error) return wrap(<ErrorState error={error} onRetry={refetch} />)
    if (loading || !results) return wrap(<LoadingState />)

    const parsed = results.facilities
    // Facilities: those the data set is assigned to under the selection; without the data set,
    // the org units analytics resolved.
    const assigned = facilitiesUnder(meta, ou.id)
    const facilities =
        assigned.length > 0
            ? assigned
            : (parsed.dimensions.ou ?? []).map((id) => ({ id, name: parsed.names[id] ?? id, path: '', level: null }))
    const rows = sortRows(leagueRows(parsed.facts, facilities, ranges), sort.column, sort.direction, fmt.locale)
    if (!rows.some((r) => r.hasData)) return wrap(<EmptyState />)

    const exportCsv = () => {
        const header = COLUMNS.map((c) => {
            const label = columnLabel(c, previousLabel)
            return c === 'gross' || c === 'averageTicket' ? `${label} (FCFA)` : c === 'name' ? label : `${label} (%)`
        })
        const body: CsvCell[][] = rows.map((r) => [
            r.name,
            r.hasData ? r.gross : null,
            csvPercent(r.previousGrowth),
            csvPercent(r.yearGrowth),
            csvPercent(r.digitalShare),
            r.averageTicket === null ? null : Math.round(r.averageTicket),
            csvPercent(r.refundRate),
            csvPercent(r.failureRate),
        ])
        downloadCsv(`${i18n.t('facilities')}-${fileNamePart(ou.name)}-${fileNamePart(periodId)}.csv`, toCsv(header, body, dialectFor(lang)))
    }

    const renderCell = (r: LeagueRow, c: LeagueColumn) => {
        const testId = `facility-${r.id}-${c}`
        switch (c) {
            case 'name':
                return (
                    <DataTableCell
                        key={c}
                        dataTest={testId}
                        className={styles.nameCell}
                        role="link"
                        tabIndex={0}
                        title={i18n.t('Open the overview of {{name}}', { name: r.name })}
                        onClick={() => onDrill(facilities.find((f) => f.id === r.id)!)}
                        onKeyDown={(e: React.KeyboardEvent) => {
                            if (e.key === 'Enter' || e.key === ' ') {
                                e.preventDefault()
                                onDrill(facilities.find((f) => f.id === r.id)!)
                            }
                        }}
                    >
                        {r.name}
                    </DataTableCell>
                )
            case 'gross':
                return (
                    <DataTableCell key={c} align="right" dataTest={testId}>
                        {r.hasData ? fmt.money(r.gross) : fmt.money(null)}
                    </DataTableCell>
                )
            case 'previousGrowth':
            case 'yearGrowth':
                return (
                    <DataTableCell key={c} align="right">
                        <Change value={r[c]} kind="money" dataTest={testId} />
                    </DataTableCell>
                )
            case 'averageTicket':
                return (
                    <DataTableCell key={c} align="right" dataTest={testId}>
                        {fmt.money(r.averageTicket)}
                    </DataTableCell>
                )
            default:
                return (
                    <DataTableCell key={c} align="right" dataTest={testId}>
                        {fmt.percent(r[c])}
                    </DataTableCell>
                )
        }
    }

    return wrap(
        <>
            <ExportToolbar className={styles.toolbar} countClassName={styles.count} count={i18n.t('{{count}} facilities', { count: rows.length })} onExport={exportCsv} dataTest="facilities" />
            <ScrollRegion className={styles.tableWrap} label={i18n.t('Facilities')}>
                <DataTable dataTest="facilities-table" layout="auto">
                    <DataTableHead>
                        <DataTableRow>
                            {COLUMNS.map((c) => (
                                <DataTableColumnHeader
                                    key={c}
                                    name={c}
                                    align={c === 'name' ? 'left' : 'right'}
                                    dataTest={`facilities-header-${c}`}
                                    sortDirection={sort.column === c ? sort.direction : 'default'}
                                    sortIconTitle={i18n.t('Sort by {{column}}', { column: columnLabel(c, previousLabel) })}
                                    onSortIconClick={({ direction }) =>
                                        setSort(
                                            direction === 'default'
                                                ? { column: 'gross', direction: 'desc' }
                                                : { column: c, direction }
                                        )
                                    }
                                >
                                    {columnLabel(c, previousLabel)}
                                </DataTableColumnHeader>
                            ))}
                            <DataTableColumnHeader>{i18n.t('Traceability')}</DataTableColumnHeader>
                        </DataTableRow>
                    </DataTableHead>
                    <DataTableBody>
                        {rows.map((r) => (
                            <DataTableRow key={r.id} dataTest={`facility-row-${r.id}`}>
                                {COLUMNS.map((c) => renderCell(r, c))}
                                <DataTableCell>
                                    <LineageButton orgUnit={{ id: r.id, name: r.name }} range={range} small />
                                </DataTableCell>
                            </DataTableRow>
                        ))}
                    </DataTableBody>
                </DataTable>
            </ScrollRegion>
        </>
    )
}
