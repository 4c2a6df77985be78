import { facilityLineageSchema, type FacilityLineage, type FamilyLineage } from '@recettes/contract'
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

/** Which values the panel is about: the revenue dashboards', the pharmacy's LMIS quantities, or the reconciliation totals. */
export type LineageFamily = 'revenue' | 'lmis' | 'recon'

export interface PeriodRow extends FamilyLineage {
    period: string
    sources: string[]
}

/**
 * The months of the selection the bridge sent values of this family for, the latest first (at
 * most 12). A month with LMIS or reconciliation values only carries empty revenue fields: not a revenue month.
 */
export function periodsInRange(entry: FacilityLineage, range: MonthRange, family: LineageFamily = 'revenue'): PeriodRow[] {
    const out: PeriodRow[] = []
    for (let m = range.end; m >= range.start && out.length < 12; m--) {
        const period = isoMonth(m)
        const p = entry.periods[period]
        if (!p) continue
        const f = family === 'revenue' ? p : p[family]
        if (f && (f.runs.length > 0 || f.values > 0)) out.push({ period, runs: f.runs, values: f.values, drifted: f.drifted, sources: p.sources })
    }
    return out
}
