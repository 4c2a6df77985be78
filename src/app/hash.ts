/**
 * The view, org unit and period live in the URL hash (`#/facilities?ou=<uid>&pe=202610`) so that a
 * view can be bookmarked, shared, printed from a link, reached with the browser's back button and
 * opened directly by end-to-end tests.
 */
export const VIEWS = ['overview', 'facilities', 'channels', 'reconciliation', 'pharmacy', 'freshness'] as const
export type ViewId = (typeof VIEWS)[number]

export interface AppLocation {
    view: ViewId
    ou: string | null
    pe: string | null
}

const UID = /^[A-Za-z][A-Za-z0-9]{10}$/

export function parseHash(hash: string): AppLocation {
    const [path, query = ''] = hash.replace(/^#\/?/, '').split('?')
    const params = new URLSearchParams(query)
    const view = (VIEWS as readonly string[]).includes(path) ? (path as ViewId) : 'overview'
    const ou = params.get('ou')
    return { view, ou: ou && UID.test(ou) ? ou : null, pe: params.get('pe') || null }
}

export function formatHash(loc: AppLocation): string {
    const params = new URLSearchParams()
    if (loc.ou) params.set('ou', loc.ou)
    if (loc.pe) params.set('pe', loc.pe)
    const q = params.toString()
    return `#/${loc.view}${q ? `?${q}` : ''}`
}
