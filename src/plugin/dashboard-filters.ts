import { z } from 'zod'
import { DEFAULT_PERIOD, parsePeriodId } from '../compute/periods'

/**
 * The Dashboard app (101+) hands every plugin item the dashboard's filters as the prop
 * `dashboardItemFilters`: `{ ou: [{id, name, path}], pe: [{id, name}], <dimension>: [...] }`
 * (dhis2/dashboard-app docs/developer/implement-a-dashboard-plugin.md). One schema for that
 * boundary; anything unreadable counts as "no filter".
 */
const itemSchema = z.object({ id: z.string(), name: z.string().optional(), path: z.string().optional() })
const filtersSchema = z.record(z.string(), z.array(itemSchema).catch([])).catch({})
export type DashboardItemFilters = z.infer<typeof filtersSchema>
type FilterItem = z.infer<typeof itemSchema>

const UID = /^[A-Za-z][A-Za-z0-9]{10}$/

export type OrgUnitChoice =
    /** One unit named by the filter (its name and path when the Dashboard app gave them). */
    | { kind: 'unit'; id: string; name?: string; path?: string }
    /** No org unit filter, or "user org unit": the user's first root, as in the app. */
    | { kind: 'user' }

export interface ItemSelection {
    ou: OrgUnitChoice
    periodId: string
    /** Filter items the plugin cannot show (a level, a group, a weekly period, a second unit…), by name. */
    ignored: string[]
}

const label = (i: FilterItem) => i.name ?? i.id

function pickOrgUnit(items: FilterItem[], ignored: string[]): OrgUnitChoice {
    let choice: OrgUnitChoice | null = null
    for (const item of items) {
        // The Dashboard app gives the path for a picked unit: its last segment is the unit.
        const id = item.path ? (item.path.split('/').pop() ?? item.id) : item.id
        if (!choice && UID.test(id)) choice = { kind: 'unit', id, name: item.name, path: item.path }
        else if (!choice && item.id === 'USER_ORGUNIT') choice = { kind: 'user' }
        else ignored.push(label(item))
    }
    return choice ?? { kind: 'user' }
}

function pickPeriod(items: FilterItem[], ignored: string[]): string {
    let chosen: string | null = null
    for (const item of items) {
        if (!chosen && parsePeriodId(item.id)) chosen = item.id
        else ignored.push(label(item))
    }
    return chosen ?? DEFAULT_PERIOD
}

/**
 * What one dashboard item shows: one org unit and one period (a month, a quarter, a year or a
 * relative range in months, as the app's period picker offers). Other dimensions do not apply to
 * these figures and are not listed.
 */
export function selectionFromFilters(raw: unknown): ItemSelection {
    const filters = filtersSchema.parse(raw ?? {})
    const ignored: string[] = []
    const ou = pickOrgUnit(filters.ou ?? [], ignored)
    const periodId = pickPeriod(filters.pe ?? [], ignored)
    return { ou, periodId, ignored }
}

/**
 * The full app at that unit and period: index.html next to plugin.html (both are served from the
 * app's folder, whatever the server's context path), with the hash the app reads (app/hash-state.ts).
 */
export function appUrlFor(pluginHref: string, ouId: string, periodId: string): string {
    const hash = `#/overview?${new URLSearchParams({ ou: ouId, pe: periodId }).toString()}`
    return new URL(`index.html${hash}`, pluginHref).toString()
}
