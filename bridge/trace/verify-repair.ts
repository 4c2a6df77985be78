import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { EXIT } from '../errors'
import { publishRecon } from '../reconcile/publish'
import type { StateDb } from '../state/db'
import { runSyncLocked } from '../sync/sync'
import type { Drift } from './verify'

export type Refused = Drift & { errorCode: string | null; message: string | null }

export interface RepairOutcome {
    repaired: Drift[]
    /** family|key of the repaired values. */
    repairedKeys: Set<string>
    refused: Refused[]
    /** The sync run that sent revenue and LMIS values; null when only reconciliation values drifted. */
    runId: number | null
    unreachable: boolean
    warnings: Bilingual[]
}

export const familyKey = (d: { family: string; key: string }): string => `${d.family}|${d.key}`

/**
 * --repair: the drifted keys go back to the outbox (their "accepted" forgotten), and what waits is
 * sent by each family's normal push, with its rules (batches, import summary, conflicts), without
 * reading the ledger or the statements:
 *  - revenue and lmis: one sync with skipLedger. Its push stage sends the revenue outbox and its
 *    stock leg pushes the pending LMIS values of stock.lmis.facilities whatever scopes the run
 *    recomputed (none here), both recorded in the lineage under that run;
 *  - recon: publishRecon with no new totals records nothing and sends the recon outbox's pending
 *    values — the reconcile command's push, without reading the statements again.
 * A value DHIS2 refuses (a locked period) gets its "accepted" back: the state keeps saying what
 * DHIS2 should hold, the next verify reports it again, and no run loops on sending it.
 */
export async function repairDrift(
    rc: ResolvedConfig,
    db: StateDb,
    client: Dhis2Client,
    found: ReadonlyArray<Drift & { key: string }>,
    /** `runId`: the verify run, under which the reconciliation values sent again are recorded (revenue and LMIS go through a sync run of their own). */
    opts: { now: () => Date; log?: (m: Bilingual) => void; runId: number }
): Promise<RepairOutcome> {
    // The stock leg sends LMIS values of stock.lmis.facilities only: another facility's drift is
    // reported, and left as it is (forgotten, it would wait in an outbox nothing sends).
    const lmisFacilities = new Set(rc.config.stock.lmis.facilities)
    const unsendable = (d: Drift) => d.family === 'lmis' && !lmisFacilities.has(d.facility)
    const notEnabled: Refused[] = found.filter(unsendable).map(({ key: _key, ...d }) => ({
        ...d,
        errorCode: 'BRIDGE_LMIS_FACILITY',
        message: `${d.facility} absent de stock.lmis.facilities : non renvoyé / ${d.facility} not in stock.lmis.facilities: not sent again`,
    }))
    const drifted = found.filter((d) => !unsendable(d))
    const forget = db.prepare('UPDATE dhis2_values SET accepted = NULL, accepted_at = NULL WHERE family = ? AND key = ?')
    db.transaction(() => drifted.forEach((d) => forget.run(d.family, d.key)))()
    const warnings: Bilingual[] = []
    let runId: number | null = null
    let unreachable = false
    if (drifted.some((d) => d.family !== 'recon')) {
        const sync = await runSyncLocked(rc, { ledgerPaths: [], dryRun: false, skipLedger: true, now: opts.now, log: opts.log })
        runId = sync.runId
        unreachable ||= sync.exitCode === EXIT.UNREACHABLE
        warnings.push(...sync.warnings, ...sync.errors)
    }
    if (drifted.some((d) => d.family === 'recon')) {
        const sent = await publishRecon(db, rc, client, [], [], { log: opts.log, runId: opts.runId })
        unreachable ||= sent.exitCode === EXIT.UNREACHABLE
        warnings.push(...sent.warnings)
    }
    const state = db.prepare('SELECT desired, accepted, last_error_code AS errorCode, last_error_message AS message FROM dhis2_values WHERE family = ? AND key = ?')
    const restore = db.prepare('UPDATE dhis2_values SET accepted = ? WHERE family = ? AND key = ? AND accepted IS NULL')
    const repaired: Drift[] = []
    const repairedKeys = new Set<string>()
    const refused: Refused[] = [...notEnabled]
    db.transaction(() => {
        for (const { key, ...d } of drifted) {
            const row = state.get(d.family, key) as { desired: number | null; accepted: number | null; errorCode: string | null; message: string | null } | undefined
            if (row && row.accepted !== null && row.accepted === row.desired) {
                repaired.push(d)
                repairedKeys.add(familyKey({ family: d.family, key }))
                continue
            }
            // Refused by DHIS2: back to what it should hold (not resent by every sync). No answer at all: left in the outbox.
            if (row?.errorCode) restore.run(d.expected, d.family, key)
            refused.push({ ...d, errorCode: row?.errorCode ?? null, message: row?.message ?? null })
        }
    })()
    return { repaired, repairedKeys, refused, runId, unreachable, warnings }
}
