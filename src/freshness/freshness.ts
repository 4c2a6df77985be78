import { facilityRunSummarySchema, RUN_SUMMARY_KEY_PREFIX, type FacilityRunSummary } from '@recettes/contract'
import { dataStoreEntriesSchema } from '../shared/data/datastore-entries'
import type { OrgUnitRef } from '../shared/metadata/metadata'

export type FreshnessState = 'ok' | 'warning' | 'error' | 'stale' | 'never'

export interface FreshnessRow {
    orgUnit: string
    name: string
    summary: FacilityRunSummary | null
    state: FreshnessState
}

/** A facility whose last successful run is older than this is flagged as stale. */
export const STALE_AFTER_HOURS = 48

export interface ParsedEntries {
    summaries: Map<string, FacilityRunSummary>
    /** Keys whose value does not match the bridge's schema (shown as a warning, not hidden). */
    invalidKeys: string[]
}

export function parseEntries(raw: unknown): ParsedEntries {
    const entries = dataStoreEntriesSchema.parse(raw)
    const summaries = new Map<string, FacilityRunSummary>()
    const invalidKeys: string[] = []
    for (const { key, value } of entries) {
        if (!key.startsWith(RUN_SUMMARY_KEY_PREFIX)) continue // other keys of the namespace are not run summaries
        const parsed = facilityRunSummarySchema.safeParse(value)
        if (parsed.success) summaries.set(parsed.data.orgUnit, parsed.data)
        else invalidKeys.push(key)
    }
    return { summaries, invalidKeys }
}

export function freshnessState(s: FacilityRunSummary | null, now: Date): FreshnessState {
    if (!s) return 'never'
    if (s.lastRunStatus === 'UNREACHABLE' || s.lastRunStatus === 'FAILED') return 'error'
    const time = (iso: string | null) => (iso ? new Date(iso).getTime() : NaN)
    // A run with quarantined rows or rejected values still delivered the rest, so it counts as a
    // sync here (shown as a warning). The bridge sets lastSuccessAt only after a clean run: a
    // facility whose export always holds one bad row would otherwise look stale forever.
    const delivered = s.lastRunStatus === 'CONFLICTS' || s.lastRunStatus === 'QUARANTINE'
    const synced = [time(s.lastSuccessAt), delivered ? time(s.lastRunAt) : NaN].filter(Number.isFinite)
    if (synced.length === 0 || now.getTime() - Math.max(...synced) > STALE_AFTER_HOURS * 3600_000) return 'stale'
    if (delivered) return 'warning'
    return 'ok'
}

const SEVERITY: Record<FreshnessState, number> = { error: 0, stale: 1, never: 2, warning: 3, ok: 4 }

/**
 * One row per facility under the selection (the data set's facilities), plus facilities that have
 * a summary but are not (or no longer) assigned; worst first, then by name.
 */
export function freshnessRows(
    summaries: Map<string, FacilityRunSummary>,
    facilities: readonly OrgUnitRef[],
    isUnderSelection: (orgUnitId: string) => boolean,
    now: Date,
    locale: string
): FreshnessRow[] {
    const rows: FreshnessRow[] = []
    const seen = new Set<string>()
    for (const f of facilities) {
        seen.add(f.id)
        const s = summaries.get(f.id) ?? null
        rows.push({ orgUnit: f.id, name: f.name, summary: s, state: freshnessState(s, now) })
    }
    for (const [id, s] of summaries) {
        if (seen.has(id) || !isUnderSelection(id)) continue
        rows.push({ orgUnit: id, name: s.orgUnitCode ?? id, summary: s, state: freshnessState(s, now) })
    }
    return rows.sort((a, b) => SEVERITY[a.state] - SEVERITY[b.state] || a.name.localeCompare(b.name, locale))
}

export type StateCounts = Record<FreshnessState, number>

/** How many facilities are in each state (the view's summary line and the dashboard plugin). */
export const countStates = (rows: readonly FreshnessRow[]): StateCounts =>
    rows.reduce<StateCounts>((acc, r) => ({ ...acc, [r.state]: acc[r.state] + 1 }), { ok: 0, warning: 0, error: 0, stale: 0, never: 0 })

/** The worst state among the rows (rows come worst first); null when there is none. */
export const worstState = (rows: readonly FreshnessRow[]): FreshnessState | null => rows[0]?.state ?? null
