import { CHANNELS, type Channel, type ReconDataElement } from '@recettes/contract'
import { ratio, type Maybe } from '../compute/metrics'
import { isoMonth, lastMonths, monthsOf, type MonthRange } from '../compute/periods'

/**
 * The figures of the « Rapprochement » view (pure). They come from the monthly totals the bridge
 * sends to DHIS2 (docs/contract.md §7): per facility × month × channel the matched amount, the
 * ledger-only amount, the statement-only amount, the sum of the amount gaps' absolute values and
 * the operators' fees; per facility × month the cash short and cash over. Definitions (also in
 * docs/reconciliation.md):
 *
 *   compared     = matched + ledger only + statement only + amount gap
 *   matched share = matched ÷ compared (n/a when compared is 0, e.g. cash alone)
 *   unreconciled = ledger only + statement only + amount gap + cash short + cash over
 *
 * Fees are shown but are not a discrepancy (gross paid vs net settled). Cash is not matched
 * against a statement: its short/over belong to the CASH channel and count as unreconciled; they
 * do not enter the matched share.
 */

/** One analytics value with its UIDs turned back into codes. */
export interface ReconFact {
    de: ReconDataElement
    /** `yyyyMM` */
    pe: string
    ou: string
    /** null for the cash short/over (default category combo). */
    channel: Channel | null
    value: number
}

export interface ReconFigures {
    matched: number
    ledgerOnly: number
    statementOnly: number
    amountGap: number
    fees: number
    cashShort: number
    cashOver: number
}

export const FIGURE_KEYS = ['matched', 'ledgerOnly', 'statementOnly', 'amountGap', 'fees', 'cashShort', 'cashOver'] as const
export type FigureKey = (typeof FIGURE_KEYS)[number]

const FIGURE_OF: Record<ReconDataElement, FigureKey> = {
    PAYREV_RECON_MATCHED: 'matched',
    PAYREV_RECON_LEDGER_ONLY: 'ledgerOnly',
    PAYREV_RECON_STATEMENT_ONLY: 'statementOnly',
    PAYREV_RECON_AMOUNT_GAP: 'amountGap',
    PAYREV_FEES: 'fees',
    PAYREV_CASH_SHORT: 'cashShort',
    PAYREV_CASH_OVER: 'cashOver',
}

export const zeroFigures = (): ReconFigures => ({ matched: 0, ledgerOnly: 0, statementOnly: 0, amountGap: 0, fees: 0, cashShort: 0, cashOver: 0 })

export const compared = (f: ReconFigures): number => f.matched + f.ledgerOnly + f.statementOnly + f.amountGap
export const matchedShare = (f: ReconFigures): Maybe => ratio(f.matched, compared(f))
export const unreconciled = (f: ReconFigures): number => f.ledgerOnly + f.statementOnly + f.amountGap + f.cashShort + f.cashOver

/** Cash short/over have no channel in DHIS2: they are the CASH channel's. */
const channelOf = (f: ReconFact): Channel => f.channel ?? 'CASH'

function addFact(target: ReconFigures, f: ReconFact): void {
    target[FIGURE_OF[f.de]] += f.value
}

export interface ChannelRow {
    channel: Channel
    figures: ReconFigures
    matchedShare: Maybe
    unreconciled: number
}

export interface FacilityRow {
    id: string
    name: string
    figures: ReconFigures
    matchedShare: Maybe
    unreconciled: number
    /** Channels with at least one value, in the product's channel order. */
    channels: ChannelRow[]
    hasData: boolean
    /** 1 = most unreconciled; null without data. */
    rank: number | null
}

/** The months of the trend: the 12 months up to the selection's end (longer selections: all of it). */
export const trendMonths = (range: MonthRange): string[] => monthsOf(lastMonths(range.end, Math.max(12, range.end - range.start + 1))).map(isoMonth)

/**
 * One row per facility over the months of `range`, ranked by unreconciled amount (largest first;
 * ties and facilities without data by name).
 */
export function facilityRows(
    facts: readonly ReconFact[],
    facilities: ReadonlyArray<{ id: string; name: string }>,
    range: MonthRange,
    locale: string
): FacilityRow[] {
    const months = new Set(monthsOf(range).map(isoMonth))
    const byOu = new Map<string, Map<Channel, ReconFigures>>()
    for (const f of facts) {
        if (!months.has(f.pe)) continue
        const channels = byOu.get(f.ou) ?? new Map<Channel, ReconFigures>()
        byOu.set(f.ou, channels)
        const c = channelOf(f)
        const figures = channels.get(c) ?? zeroFigures()
        channels.set(c, figures)
        addFact(figures, f)
    }
    const rows = facilities.map(({ id, name }): FacilityRow => {
        const channels = byOu.get(id)
        const total = zeroFigures()
        const channelRows: ChannelRow[] = []
        for (const c of CHANNELS) {
            const figures = channels?.get(c)
            if (!figures) continue
            for (const k of FIGURE_KEYS) total[k] += figures[k]
            channelRows.push({ channel: c, figures, matchedShare: matchedShare(figures), unreconciled: unreconciled(figures) })
        }
        return {
            id,
            name,
            figures: total,
            matchedShare: matchedShare(total),
            unreconciled: unreconciled(total),
            channels: channelRows,
            hasData: channelRows.length > 0,
            rank: null,
        }
    })
    const collator = new Intl.Collator(locale)
    rows.sort((a, b) => {
        if (a.hasData !== b.hasData) return a.hasData ? -1 : 1
        return b.unreconciled - a.unreconciled || collator.compare(a.name, b.name)
    })
    let rank = 0
    for (const r of rows) if (r.hasData) r.rank = ++rank
    return rows
}

/** The selection's total: the sum of the facility rows. */
export function totalOf(rows: readonly FacilityRow[]): ReconFigures {
    const total = zeroFigures()
    for (const r of rows) for (const k of FIGURE_KEYS) total[k] += r.figures[k]
    return total
}

export interface TrendPoint extends ReconFigures {
    pe: string
    matchedShare: Maybe
    unreconciled: number
    hasData: boolean
}

/** Month by month over `months`, summed over the given facilities. */
export function trend(facts: readonly ReconFact[], facilityIds: readonly string[], months: readonly string[]): TrendPoint[] {
    const keep = new Set(facilityIds)
    const byMonth = new Map<string, ReconFigures>(months.map((pe) => [pe, zeroFigures()]))
    const seen = new Set<string>()
    for (const f of facts) {
        const figures = byMonth.get(f.pe)
        if (!figures || !keep.has(f.ou)) continue
        addFact(figures, f)
        seen.add(f.pe)
    }
    return months.map((pe) => {
        const f = byMonth.get(pe)!
        return { pe, ...f, matchedShare: matchedShare(f), unreconciled: unreconciled(f), hasData: seen.has(pe) }
    })
}
