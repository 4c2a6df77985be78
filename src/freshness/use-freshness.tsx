import { UnexpectedResponseError } from '../analytics/parse'
import i18n from '@dhis2/d2-i18n'
import { Tag } from '@dhis2/ui'
import React from 'react'
import { useAppContext } from '../shared/app-context'
import { keys } from '../shared/data/keys'
import { useDhis2Query } from '../shared/data/use-dhis2-query'
import { facilitiesUnder, type OrgUnitRef, type PayrevMetadata } from '../shared/metadata/metadata'
import { freshnessRows, parseEntries, STALE_AFTER_HOURS, type FreshnessRow, type FreshnessState, type StateCounts } from './freshness'

/**
 * Every run summary of the namespace in one request (bare array with paging=false). The filter
 * keeps out the namespace's other entries (the pharmacy reconciliation, one per facility and
 * month, far bigger): only run summaries have `lastRunStatus`.
 */
const FRESHNESS_KEY = keys.dataStoreEntries('lastRunStatus:!null')

/** A malformed answer is shown as an error without a retry (asking again would not mend it). */
function selectEntries(raw: unknown) {
    try {
        return { ok: true as const, ...parseEntries(raw) }
    } catch (e) {
        return { ok: false as const, error: new UnexpectedResponseError((e as Error).message) }
    }
}

/**
 * The run summaries (docs/contract.md §5) and one row per facility under `ou`, worst first: the
 * freshness view and the dashboard plugin read the same query (one request, one cache entry).
 */
export function useFreshness(meta: PayrevMetadata, ou: OrgUnitRef) {
    const { fmt, now } = useAppContext()
    const { loading, error, data: parsed, refetch } = useDhis2Query(FRESHNESS_KEY, selectEntries)
    let rows: FreshnessRow[] | null = null
    if (parsed?.ok) {
        const isRoot = meta.roots.some((r) => r.id === ou.id)
        // Summaries of facilities the data set does not list: their place in the tree is unknown, so
        // they are shown only from one of the user's roots.
        rows = freshnessRows(parsed.summaries, facilitiesUnder(meta, ou.id), () => isRoot, now, fmt.locale)
    }
    return { loading, error, refetch, parsed, rows }
}

export function stateLabel(s: FreshnessState): string {
    switch (s) {
        case 'ok':
            return i18n.t('Up to date')
        case 'warning':
            return i18n.t('Delivered, data to correct')
        case 'error':
            return i18n.t('Last run failed')
        case 'stale':
            return i18n.t('No delivery for more than {{hours}} hours', { hours: STALE_AFTER_HOURS })
        case 'never':
            return i18n.t('Never synced')
    }
}

export function StateTag({ state, dataTest = 'freshness-state' }: { state: FreshnessState; dataTest?: string }) {
    // green: fine; blue: synced but look at the report; red: failing or late; grey: nothing yet
    const props = state === 'ok' ? { positive: true } : state === 'warning' ? { neutral: true } : state === 'never' ? {} : { negative: true }
    return (
        // The state is the point of the row: never cut it with an ellipsis (Tag's default is 240px).
        <Tag {...props} dataTest={dataTest} bold={state !== 'ok'} maxWidth="none">
            {stateLabel(state)}
        </Tag>
    )
}

export const summaryText = (counts: StateCounts): string =>
    i18n.t('{{ok}} up to date, {{warning}} with rejected or quarantined rows, {{late}} failing or late, {{never}} never synced.', {
        ok: counts.ok,
        warning: counts.warning,
        late: counts.error + counts.stale,
        never: counts.never,
    })
