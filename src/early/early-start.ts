import { overviewRequests } from '../analytics/requests'
import { parseHash } from '../app/hash'
import { DEFAULT_PERIOD, parsePeriodId, resolvePeriod } from '../compute/periods'
import { askEarly, type EarlyAnswer } from '../shared/data/early-answers'
import { keys } from '../shared/data/keys'
import { resolveMetadata } from '../shared/metadata/metadata'
import { METADATA_KEYS } from '../shared/metadata/metadata-keys'

/**
 * What the app will ask first, asked while the platform's shell is still loading (see
 * ../shared/data/early-answers.ts for why): the metadata, the org unit the link names and, for the
 * overview, its two analytics requests once the metadata has answered — the same queries, built by
 * the same functions, as the app's. `now` is the app's "now" (a request built on another day simply
 * matches nothing and the app asks itself).
 */
export async function startEarly(baseUrl: string | null | undefined, hash: string, now: Date): Promise<void> {
    // Without a server's address (`d2-app-scripts start` leaves the placeholder) the shell asks for one.
    if (!baseUrl || baseUrl.includes('__DHIS2_BASE_URL__')) return
    const loc = parseHash(hash)
    const names = Object.keys(METADATA_KEYS) as (keyof typeof METADATA_KEYS)[]
    const metadata = names.map((n) => askEarly(baseUrl, METADATA_KEYS[n][0]))
    if (loc.ou) void askEarly(baseUrl, keys.orgUnit(loc.ou)[0])
    if (loc.view !== 'overview') return

    const answers: EarlyAnswer[] = await Promise.all(metadata)
    if (!answers.every((a) => a.ok)) return
    const raw = Object.fromEntries(names.map((n, i) => [n, (answers[i] as { data: unknown }).data]))
    let resolved
    try {
        resolved = resolveMetadata(raw as Parameters<typeof resolveMetadata>[0])
    } catch {
        return // the app will say what is wrong with the answer
    }
    if (!resolved.ok) return
    const ouId = loc.ou ?? resolved.metadata.roots[0]?.id
    const range = resolvePeriod(loc.pe && parsePeriodId(loc.pe) ? loc.pe : DEFAULT_PERIOD, now)
    if (!ouId || !range) return
    for (const params of Object.values(overviewRequests(resolved.metadata, ouId, range))) void askEarly(baseUrl, keys.analytics(params)[0])
}
