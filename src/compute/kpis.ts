import type { Fact } from '../analytics/parse'
import { CHANNELS, DIGITAL_CHANNELS, SERVICES, type Channel, type Service } from '@recettes/contract'
import { averageTicket, failureRate, growth, netRevenue, pointChange, share, type Maybe } from './metrics'
import { isoMonth, monthsOf, previousRange, sameRangeLastYear, yearToDate, type MonthRange } from './periods'

/** The contract's digital channels, the same the DHIS2 digital-share indicators sum (OTHER is unknown: not digital). */
const isDigital = (c: Channel | null): boolean => c !== null && (DIGITAL_CHANNELS as readonly Channel[]).includes(c)

export interface Totals {
    gross: number
    refunds: number
    payments: number
    failed: number
    digitalGross: number
    digitalPayments: number
    /** At least one value was found (a stored 0 counts: zero is significant for these elements). */
    hasData: boolean
}

export type FactFilter = (f: Fact) => boolean

export const inPeriods = (periods: Iterable<string>): FactFilter => {
    const set = new Set(periods)
    return (f) => set.has(f.pe)
}
export const inMonths = (r: MonthRange): FactFilter => inPeriods(monthsOf(r).map(isoMonth))
export const and =
    (...filters: FactFilter[]): FactFilter =>
    (f) =>
        filters.every((p) => p(f))

export function totalsOf(facts: readonly Fact[], keep: FactFilter): Totals {
    const t: Totals = { gross: 0, refunds: 0, payments: 0, failed: 0, digitalGross: 0, digitalPayments: 0, hasData: false }
    for (const f of facts) {
        if (!keep(f)) continue
        t.hasData = true
        switch (f.de) {
            case 'PAYREV_GROSS':
                t.gross += f.value
                if (isDigital(f.channel)) t.digitalGross += f.value
                break
            case 'PAYREV_REFUNDS':
                t.refunds += f.value
                break
            case 'PAYREV_PAYMENTS':
                t.payments += f.value
                if (isDigital(f.channel)) t.digitalPayments += f.value
                break
            case 'PAYREV_FAILED':
                t.failed += f.value
                break
        }
    }
    return t
}

export const KPI_KEYS = [
    'gross',
    'net',
    'payments',
    'averageTicket',
    'digitalShareValue',
    'digitalShareCount',
    'refunds',
    'failureRate',
] as const
export type KpiKey = (typeof KPI_KEYS)[number]
export type KpiKind = 'money' | 'count' | 'ratio'

export const KPI_KIND: Record<KpiKey, KpiKind> = {
    gross: 'money',
    net: 'money',
    payments: 'count',
    averageTicket: 'money',
    digitalShareValue: 'ratio',
    digitalShareCount: 'ratio',
    refunds: 'money',
    failureRate: 'ratio',
}

export function kpiValues(t: Totals): Record<KpiKey, Maybe> {
    return {
        gross: t.gross,
        net: netRevenue(t.gross, t.refunds),
        payments: t.payments,
        averageTicket: averageTicket(t.gross, t.payments),
        digitalShareValue: share(t.digitalGross, t.gross),
        digitalShareCount: share(t.digitalPayments, t.payments),
        refunds: t.refunds,
        failureRate: failureRate(t.payments, t.failed),
    }
}

/** Amounts and counts change in %; ratios change in points (a share going 40 % → 45 % is +5 points). */
export const change = (kind: KpiKind, current: Maybe, previous: Maybe): Maybe =>
    kind === 'ratio' ? pointChange(current, previous) : growth(current, previous)

export interface Kpi {
    key: KpiKey
    kind: KpiKind
    value: Maybe
    /** vs the previous period of the same length (month over month for a month). */
    previousChange: Maybe
    /** vs the same months one year earlier. */
    yearChange: Maybe
    /** January to the end of the selection… */
    ytdValue: Maybe
    /** …vs the same months one year earlier. */
    ytdChange: Maybe
}

export interface OverviewFigures {
    kpis: Kpi[]
    hasData: boolean
}

/** The overview's cards, from monthly facts covering the trend window. */
export function overviewFigures(facts: readonly Fact[], range: MonthRange): OverviewFigures {
    const current = totalsOf(facts, inMonths(range))
    const values = kpiValues(current)
    const previous = kpiValues(totalsOf(facts, inMonths(previousRange(range))))
    const lastYear = kpiValues(totalsOf(facts, inMonths(sameRangeLastYear(range))))
    const ytd = yearToDate(range)
    const ytdValues = kpiValues(totalsOf(facts, inMonths(ytd)))
    const ytdLastYear = kpiValues(totalsOf(facts, inMonths(sameRangeLastYear(ytd))))
    const kpis = KPI_KEYS.map((key): Kpi => {
        const kind = KPI_KIND[key]
        return {
            key,
            kind,
            value: values[key],
            previousChange: change(kind, values[key], previous[key]),
            yearChange: change(kind, values[key], lastYear[key]),
            ytdValue: ytdValues[key],
            ytdChange: change(kind, ytdValues[key], ytdLastYear[key]),
        }
    })
    return { kpis, hasData: current.hasData }
}

export type ChannelPoint = { pe: string } & Record<Channel, number>

/** Monthly series of one data element, one column per channel (for stacked charts). */
export function seriesByChannel(facts: readonly Fact[], de: Fact['de'], window: MonthRange): ChannelPoint[] {
    const points = new Map<string, ChannelPoint>()
    for (const m of monthsOf(window)) {
        const p = { pe: isoMonth(m) } as ChannelPoint
        for (const c of CHANNELS) p[c] = 0
        points.set(p.pe, p)
    }
    for (const f of facts) {
        const p = points.get(f.pe)
        if (p && f.de === de && f.channel) p[f.channel] += f.value
    }
    return [...points.values()]
}

export interface ServiceShare {
    service: Service
    value: number
    share: Maybe
}

/** Gross revenue by service over the selection, largest first. */
export function mixByService(facts: readonly Fact[], range: MonthRange): ServiceShare[] {
    const keep = inMonths(range)
    const sums = new Map<Service, number>(SERVICES.map((s) => [s, 0]))
    for (const f of facts) if (f.de === 'PAYREV_GROSS' && f.service && keep(f)) sums.set(f.service, sums.get(f.service)! + f.value)
    const total = [...sums.values()].reduce((a, b) => a + b, 0)
    return SERVICES.map((service) => ({ service, value: sums.get(service)!, share: share(sums.get(service)!, total) })).sort(
        (a, b) => b.value - a.value
    )
}

export interface ChannelFigures {
    channel: Channel
    gross: number
    grossShare: Maybe
    payments: number
    paymentsShare: Maybe
    failed: number
    failureRate: Maybe
    averageTicket: Maybe
    refunds: number
    /** Gross vs the previous period, and vs the same period last year. */
    previousChange: Maybe
    yearChange: Maybe
}

/** One row per channel for the selection (channels view). */
export function channelFigures(facts: readonly Fact[], range: MonthRange): ChannelFigures[] {
    const total = totalsOf(facts, inMonths(range))
    return CHANNELS.map((channel) => {
        const mine: FactFilter = (f) => f.channel === channel
        const t = totalsOf(facts, and(mine, inMonths(range)))
        const prev = totalsOf(facts, and(mine, inMonths(previousRange(range))))
        const ly = totalsOf(facts, and(mine, inMonths(sameRangeLastYear(range))))
        return {
            channel,
            gross: t.gross,
            grossShare: share(t.gross, total.gross),
            payments: t.payments,
            paymentsShare: share(t.payments, total.payments),
            failed: t.failed,
            failureRate: failureRate(t.payments, t.failed),
            averageTicket: averageTicket(t.gross, t.payments),
            refunds: t.refunds,
            previousChange: growth(t.gross, prev.gross),
            yearChange: growth(t.gross, ly.gross),
        }
    })
}
