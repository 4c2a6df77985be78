import { CHANNELS, type DataElementCode } from '@recettes/contract'
import type { OrgUnitRef, PayrevMetadata } from '../shared/metadata/metadata'
import { isoCover, isoMonth, lastMonths, monthsOf, previousRange, sameRangeLastYear, type MonthRange } from '../compute/periods'

/**
 * Analytics request builders (pure). Params are given to app-runtime as arrays: it joins
 * `dimension` items with commas (`dimension=dx:…,pe:…`) and repeats `filter`, both of which
 * DHIS2 accepts.
 *
 * Why two shapes: a category used as a dimension keeps only the data elements that carry it, so
 * PAYREV_PAYMENTS / PAYREV_FAILED (channel only) vanish from any request with the service
 * category. Requests by channel carry all four data elements; the service mix asks for
 * PAYREV_GROSS alone.
 */
export type AnalyticsParams = {
    dimension: string[]
    filter?: string[]
}

/** Months the overview and channels views read: 24 months up to the selection's end, which holds
 * the selection, the previous period, the same period last year and both years to date. */
export const TREND_MONTHS = 24

const dx = (meta: PayrevMetadata, codes: readonly DataElementCode[]): string => `dx:${codes.map((c) => meta.dataElements[c]).join(';')}`
const channelDimension = (meta: PayrevMetadata): string => `${meta.channelCategory}:${CHANNELS.map((c) => meta.channelOptions[c]).join(';')}`
const pe = (periods: string[]): string => `pe:${periods.join(';')}`

export const ALL_DATA_ELEMENTS = ['PAYREV_GROSS', 'PAYREV_REFUNDS', 'PAYREV_PAYMENTS', 'PAYREV_FAILED'] as const

export function trendWindow(range: MonthRange): MonthRange {
    const length = range.end - range.start + 1
    // 24 months hold every comparison of a selection of up to 12 months (the longest offered).
    return lastMonths(range.end, Math.max(TREND_MONTHS, 2 * length, 12 + length))
}

/** The four data elements by channel and month over the trend window, for one org unit. */
export function channelSeriesRequest(meta: PayrevMetadata, ouId: string, range: MonthRange): AnalyticsParams {
    return {
        dimension: [dx(meta, ALL_DATA_ELEMENTS), channelDimension(meta), pe(monthsOf(trendWindow(range)).map(isoMonth))],
        filter: [`ou:${ouId}`],
    }
}

/** Gross revenue by service and month over the selection, for one org unit. */
export function serviceMixRequest(meta: PayrevMetadata, ouId: string, range: MonthRange): AnalyticsParams {
    return {
        dimension: [dx(meta, ['PAYREV_GROSS']), meta.serviceCategory, pe(monthsOf(range).map(isoMonth))],
        filter: [`ou:${ouId}`],
    }
}

/** The overview's two requests (src/overview/overview.tsx; also asked by the early start, src/early/). */
export const overviewRequests = (meta: PayrevMetadata, ouId: string, range: MonthRange) => ({
    channels: channelSeriesRequest(meta, ouId, range),
    services: serviceMixRequest(meta, ouId, range),
})

export interface ComparisonRanges {
    current: MonthRange
    previous: MonthRange
    lastYear: MonthRange
}

export const comparisonRanges = (range: MonthRange): ComparisonRanges => ({
    current: range,
    previous: previousRange(range),
    lastYear: sameRangeLastYear(range),
})

/** Periods of the facilities request: the coarsest exact cover of each compared range. */
export function comparisonPeriods(r: ComparisonRanges): string[] {
    return [...new Set([...isoCover(r.current), ...isoCover(r.previous), ...isoCover(r.lastYear)])]
}

/**
 * `ou` items for "the facilities under the selection". The facilities are the org units the data
 * set is assigned to; their level(s) are asked for with the selection as boundary
 * (`ou:<selected>;LEVEL-3`), which keeps the URL short for any number of facilities.
 * If the selection is itself a facility, it alone. If the data set is unknown, the level below.
 */
export function facilitiesOuDimension(meta: PayrevMetadata, selected: OrgUnitRef): string[] {
    if (meta.facilities.some((f) => f.id === selected.id)) return [selected.id]
    const below = meta.facilities.filter((f) => f.path.split('/').includes(selected.id) && f.level !== null)
    const levels = [...new Set(below.map((f) => f.level as number))].sort((a, b) => a - b)
    if (levels.length > 0) return [selected.id, ...levels.map((l) => `LEVEL-${l}`)]
    if (meta.facilities.length === 0 && selected.level !== null) return [selected.id, `LEVEL-${selected.level + 1}`]
    return []
}

/** The four data elements by channel, facility and period (current, previous, last year). */
export function facilitiesRequest(meta: PayrevMetadata, ouItems: string[], ranges: ComparisonRanges): AnalyticsParams {
    return {
        dimension: [dx(meta, ALL_DATA_ELEMENTS), channelDimension(meta), `ou:${ouItems.join(';')}`, pe(comparisonPeriods(ranges))],
    }
}
