import { facilityLineageSchema, type FacilityLineage, type PeriodLineage } from '@recettes/contract'
import { UnexpectedResponseError } from '../analytics/parse'
import { isoMonth, type MonthRange } from '../compute/periods'

/**
 * « D'où vient ce chiffre ? »: the data store entry the bridge publishes per facility
 * (contract/lineage.ts) — runs, sources and drift per period, never a line.
 */

/** `select` of the entry's query: a malformed entry is an "unexpected response", not a crash. */
export function selectLineage(raw: unknown): FacilityLineage {
    const parsed = facilityLineageSchema.safeParse(raw)
    if (!parsed.success) throw new UnexpectedResponseError(parsed.error.issues[0]?.message ?? 'invalid lineage entry')
    return parsed.data
}

export interface PeriodRow extends PeriodLineage {
    period: string
}

/** The months of the selection the bridge sent values for, the latest first (at most 12). */
export function periodsInRange(entry: FacilityLineage, range: MonthRange): PeriodRow[] {
    const out: PeriodRow[] = []
    for (let m = range.end; m >= range.start && out.length < 12; m--) {
        const period = isoMonth(m)
        const p = entry.periods[period]
        if (p) out.push({ period, ...p })
    }
    return out
}
