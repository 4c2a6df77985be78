import type { LiveMetadata } from '../../dhis2/metadata'
import { previewAgainstServer, refuseLocally, sendValues, batchSettings } from '../../dhis2/sender'
import type { Run, SyncContext } from '../run'
import type { Plan } from './plan'
import { SendLog } from '../../state/lineage'

/**
 * Stage 4 — push (docs/contract.md §3): the bridge's own refusals recorded, then the planned
 * values through the one DHIS2 sender (batches, import summaries judged per value, conflicts
 * mapped to values). A dry run asks DHIS2 what it holds for the same keys instead.
 */
export async function push(ctx: SyncContext, run: Run, p: Plan, live: LiveMetadata): Promise<void> {
    const { rc, opts } = ctx
    run.conflicts.push(...p.refusals.map((r) => r.conflict))
    run.totals.rejected += p.refusals.length
    refuseLocally(ctx.values, p.refusals, opts.dryRun)
    if (opts.dryRun) {
        const preview = await previewAgainstServer(ctx.client, live.dataSet.id, p.outgoing)
        run.diff = preview.map(({ value: v, current }) => ({
            dataElement: v.codes.dataElement,
            period: v.period,
            orgUnit: v.codes.orgUnit,
            categoryOptionCombo: v.codes.coc,
            channel: v.channel!,
            service: v.service,
            current,
            next: String(v.value),
        }))
        return
    }
    await sendValues(
        ctx.client,
        ctx.values,
        p.outgoing,
        {
            ...batchSettings(rc.config.dhis2, live.dataSet.id),
            iso: ctx.iso,
            log: ctx.log,
            crashPoints: true,
            reportGeneralConflicts: true,
            before: (size, done, total) => ({ fr: `Envoi de ${size} valeurs (${done}/${total})`, en: `Sending ${size} values (${done}/${total})` }),
            onPosted: (batch) => batch.forEach((v) => run.tally(v.facility).valuesSent++),
            onRefused: (v) => run.tally(v.facility).conflicts++,
            sends: { log: new SendLog(ctx.db, 'revenue'), runId: run.id },
        },
        run.totals
    )
}
