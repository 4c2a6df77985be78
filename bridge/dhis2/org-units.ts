import type { StateDb } from '../state/db'
import type { Dhis2Client } from './client'
import { findOrgUnits, type LiveOrgUnit } from './metadata'

/**
 * Facility code → DHIS2 org unit, asked once per code and remembered in the state so that a
 * run without network still knows the facilities it met before.
 * `unknown` means: DHIS2 is unreachable and the code was never resolved.
 */
export class OrgUnitResolver {
    private readonly cache = new Map<string, LiveOrgUnit | null>()

    constructor(
        private readonly client: Dhis2Client | null,
        private readonly db: StateDb,
        private readonly refFor: (facilityCode: string) => string,
        private readonly now: () => string
    ) {}

    async resolve(facilityCode: string): Promise<LiveOrgUnit | null | 'unknown'> {
        const ref = this.refFor(facilityCode)
        if (this.cache.has(ref)) return this.cache.get(ref)!
        if (!this.client) {
            const row = this.db.prepare('SELECT id, code, name FROM org_units WHERE ref = ?').get(ref) as LiveOrgUnit | undefined
            if (!row) return 'unknown'
            this.cache.set(ref, row)
            return row
        }
        const found = (await findOrgUnits(this.client, [ref])).get(ref) ?? null
        this.remember(ref, found)
        return found
    }

    private remember(ref: string, found: LiveOrgUnit | null): void {
        this.cache.set(ref, found)
        if (!found) return
        this.db
            .prepare(
                'INSERT INTO org_units (ref, id, code, name, seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(ref) DO UPDATE SET id = excluded.id, code = excluded.code, name = excluded.name, seen_at = excluded.seen_at'
            )
            .run(ref, found.id, found.code ?? null, found.name ?? null, this.now())
    }

    /**
     * Ask again, in few requests, for every org unit the state remembers: the run's lines name the
     * same facilities as the last run's, and one request per facility (a list request holds up to
     * a hundred) made a day's sync wait on forty round trips.
     */
    async prefetchRemembered(): Promise<void> {
        await this.prefetchRefs(this.db.prepare('SELECT ref FROM org_units ORDER BY ref').pluck().all() as string[])
    }

    /** Resolve many codes in few requests (pending values of earlier runs). */
    async prefetch(facilityCodes: string[]): Promise<void> {
        await this.prefetchRefs(facilityCodes.map(this.refFor))
    }

    private async prefetchRefs(all: string[]): Promise<void> {
        if (!this.client) return
        const refs = [...new Set(all)].filter((r) => !this.cache.has(r))
        if (refs.length === 0) return
        const found = await findOrgUnits(this.client, refs)
        for (const ref of refs) this.remember(ref, found.get(ref) ?? null)
    }
}
