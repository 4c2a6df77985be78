import { lineScope, totalsOfLatest, valueKeyId } from '../../aggregate'
import type { LedgerLine, QuarantineEntry } from '../../domain/line'
import { describe, isKnown } from '../../errors'
import { openLedgerSources } from '../../ledger/sources'
import { matchKeyFor } from '../../reconcile/keys'
import { commitInterval, crashPoint } from '../crash-points'
import type { Run, SyncContext } from '../run'
import { SourceRegistry } from '../../state/lineage'

/**
 * Lines written between two commits: bounds what a power cut makes the next run read again
 * (never loses: a source's cursor moves only with committed lines), keeps ingestion fast.
 * Each commit rewrites every index page it touched: 2 000 → 20 000 took a fifth off a 1 M-line
 * first sync, 20 000 → 100 000 another 2–5 % (bench/README.md, session 7). 100 000 lines are
 * about 2 s of reading again after a cut.
 */
const COMMIT_EVERY = 100_000

/**
 * Stage 1 — ingest (docs/contract.md §2): every source (canonical files, mapped files and
 * statements, watched folders, SQL, HTTP) into the line store, version by version. Rows that
 * cannot be read and lines of an unknown facility go to quarantine; a source that cannot be read
 * at all is reported and the others go on. A source's cursor moves only once its lines are committed.
 */
export async function ingest(ctx: SyncContext, run: Run): Promise<void> {
    const { rc, opts, db, lines, resolver, log } = ctx
    // verify --repair sends what waits without reading the ledger (docs/traceability.md). A folder
    // without ledger file at its top level is said, not taken for an empty day (docs/installing.md §9).
    const sources = opts.skipLedger
        ? []
        : await openLedgerSources(rc, opts.ledgerPaths, db, { progress: opts.progress, lang: opts.lang, log, now: ctx.now, onWarning: (w) => run.warnings.push(w) })
    const lineSources = new SourceRegistry(db)
    run.files = sources.map((s) => s.name)
    // recon hook: operator_ref / cashier_id kept as keyed hashes for reconciliation (bridge/reconcile/keys.ts).
    const normaliseCtx = { zoneFor: rc.zoneFor, channelAliases: rc.config.aliases.channel, serviceAliases: rc.config.aliases.service, matchKey: matchKeyFor(db, !opts.dryRun) }
    let sinceCommit = 0
    const commitEvery = commitInterval(COMMIT_EVERY)
    const begin = () => !opts.dryRun && db.exec('BEGIN')
    const commit = () => !opts.dryRun && db.exec('COMMIT')
    for (const source of sources) {
        log({ fr: `Lecture de ${source.name}`, en: `Reading ${source.name}` })
        const sourceId = lineSources.idOf(source.name) // lineage: where each line version was read
        let complete = false
        begin()
        try {
            for await (const item of source.read(normaliseCtx)) {
                run.counts.read++
                if (item.kind === 'quarantine') {
                    run.quarantine.push(item.entry)
                    const t = run.tally(item.entry.raw.facility_code)
                    t.linesRead++
                    t.quarantined++
                    continue
                }
                const line = item.line
                run.tally(line.facilityCode).linesRead++
                const ou = await resolver.resolve(line.facilityCode)
                if (ou === null) {
                    run.quarantine.push(unknownFacility(line, item.pos))
                    continue
                }
                run.counts[lines.ingest(line, lineScope(line, ctx.aggCtx), run.id, { sourceId, row: item.pos.line })]++
                if (++sinceCommit >= commitEvery) {
                    commit()
                    crashPoint('ingest-commit')
                    begin()
                    sinceCommit = 0
                }
            }
            complete = true
        } catch (e) {
            if (!isKnown(e)) throw e
            // A source that cannot be read (missing file, refused connection, wrong column type):
            // reported, its cursor stays where it was, the other sources go on.
            run.quarantine.push({ file: source.name, line: 0, column: null, reason: describe(e), raw: {} })
        } finally {
            commit()
        }
        // The cursor (SQL, HTTP) or file hash (watched folder) moves only once its lines are committed.
        if (complete && !opts.dryRun) source.commit(db)
    }
}

function unknownFacility(line: LedgerLine, pos: { file: string; line: number }): QuarantineEntry {
    return {
        file: pos.file,
        line: pos.line,
        column: 'facility_code',
        reason: {
            fr: `Établissement inconnu « ${line.facilityCode.slice(0, 60)} » : aucune unité d'organisation DHIS2 n'a ce code (ajoutez-la ou une correspondance dans « facilities », puis réintégrez la ligne)`,
            en: `Unknown facility "${line.facilityCode.slice(0, 60)}": no DHIS2 organisation unit has this code (add it, or a mapping under "facilities", then re-ingest the row)`,
        },
        raw: lineToRaw(line),
    }
}

/** The canonical columns of a line, for re-ingestion once the problem is fixed. */
function lineToRaw(line: LedgerLine): Record<string, string> {
    const raw: Record<string, string> = {
        transaction_id: line.transactionId,
        line_no: String(line.lineNo),
        occurred_at: line.occurredAt,
        facility_code: line.facilityCode,
        channel: line.channel,
        service: line.service,
        amount_xof: String(line.amountXof),
        type: line.type,
        status: line.status,
    }
    if (line.updatedAt) raw.updated_at = line.updatedAt
    if (line.productCode) raw.product_code = line.productCode
    if (line.productName) raw.product_name = line.productName
    if (line.quantity !== null) raw.quantity = String(line.quantity)
    if (line.unit) raw.unit = line.unit
    return raw
}

/** The scopes this run recomputes: those its ingest (or an earlier run that was cut) marked dirty. */
export function scopesToRecompute(ctx: SyncContext, run: Run): void {
    run.scopes = ctx.lines.dirtyScopes()
    run.recomputed = run.scopes.length
}

/**
 * Then the absolute totals of every touched scope (docs/contract.md §3), into the revenue outbox,
 * and from the same read of the scope its stock-outflow records (the stock leg's step 1), in the
 * same transaction.
 */
export function recompute(ctx: SyncContext, run: Run, stock: { scope(scope: string, pharmacyLines: LedgerLine[]): void }): void {
    const { lines, values, aggCtx } = ctx
    const apply = () => {
        for (const scope of run.scopes) {
            const read = lines.readScope(scope)
            // The store holds one version per line: no version to choose again.
            const totals = totalsOfLatest(read.lines, aggCtx, new Set([scope]))
            values.replaceScope(
                scope,
                totals.map((v) => ({ key: valueKeyId(v), facility: v.facilityCode, dataElement: v.dataElement, period: v.period, channel: v.channel, service: v.service, value: v.value }))
            )
            stock.scope(scope, read.ownPharmacy)
        }
        lines.clearDirty()
    }
    if (ctx.opts.dryRun) apply()
    else ctx.db.transaction(apply)()
    crashPoint('after-recompute')
}
