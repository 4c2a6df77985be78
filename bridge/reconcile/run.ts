import type { ReconReport } from '../../contract/reconciliation'
import type { ResolvedConfig } from '../config/load'
import type { Bilingual, QuarantineEntry } from '../domain/line'
import type { StateDb } from '../state/db'
import { attemptsOf, localMonth } from './attempts'
import { reconcileCash } from './cash'
import { matchKeyFor, type MatchKey } from './keys'
import { ledgerLinesOfMonths, monthsToLoad } from './ledger-side'
import { matchStatements, type MatchItem } from './match'
import type { CashCount, StatementRow } from './rows'
import { readReconInputs, type ReconInputs } from './sources'
import { channelSummaries, itemDetail, reconValues, type ReconValue } from './summary'

/**
 * `revenue-bridge reconcile` as named stages (docs/reconciliation.md):
 *   inputs  — statements and cash counts, configured and from the command line;
 *   months  — the months they cover (a statement row's own local date, a count's day);
 *   ledger  — the state's latest line versions of those months and their neighbours;
 *   match   — statements against attempts, per facility × channel that has statements;
 *   cash    — counts against the ledger's cash, per facility × day (× cashier);
 *   values  — the DHIS2 totals of every covered month (published by the caller);
 *   report  — the chosen month (default: the latest covered), optionally one facility.
 */
export interface ReconcileOptions {
    month?: string
    facility?: string | null
    statements: string[]
    cashCounts: string[]
    now?: () => Date
    /** Record nothing (no match key made): a dry run or a read-only look. */
    dryRun?: boolean
    /** Where database and API sources find their secrets (default process.env). */
    env?: NodeJS.ProcessEnv
}

export interface ReconcileResult {
    report: Omit<ReconReport, 'valuesSent' | 'valuesWaiting' | 'conflicts' | 'warnings' | 'exitCode'>
    /** DHIS2 totals of every covered month, all facilities. */
    values: ReconValue[]
    /** The months whose totals replace DHIS2's: covered, and no database or API failed to give them. */
    months: string[]
    /** Covered months held back because a source failed (said in the report's warnings). */
    warnings: Bilingual[]
}

export function coveredMonths(rows: readonly StatementRow[], counts: readonly CashCount[], zoneFor: (f: string) => string): string[] {
    const s = new Set<string>()
    for (const r of rows) s.add(localMonth(r.occurredAt, zoneFor(r.facilityCode)))
    for (const c of counts) s.add(c.date.slice(0, 7))
    return [...s].sort()
}

export function matchStage(db: StateDb, rc: Pick<ResolvedConfig, 'config' | 'zoneFor'>, inputs: ReconInputs, months: string[], keyOf: MatchKey): { items: MatchItem[]; cash: ReturnType<typeof reconcileCash> } {
    const covered = new Set(months)
    const lines = months.length ? ledgerLinesOfMonths(db, monthsToLoad(months), rc.config.periodType) : []
    // Only facility × channel pairs that have statements: a channel without any is not reconciled
    // (its payments would all look unsettled).
    const pairs = new Set(inputs.statements.rows.map((r) => `${r.facilityCode}\u0000${r.channel}`))
    const attempts = attemptsOf(lines, rc.zoneFor).filter((a) => pairs.has(`${a.facilityCode}\u0000${a.channel}`))
    const windowMinutes = rc.config.reconciliation.windowMinutes
    // Rows from a database's or API's margin pair with the month's payments; alone, they are another month's business.
    const context = new Set(inputs.statements.context)
    const rows = [...inputs.statements.rows, ...inputs.statements.context]
    const items = matchStatements(attempts, rows, { windowMinutes, keyOf, zoneFor: rc.zoneFor }).filter((i) => covered.has(i.month) && !(i.row && !i.attempt && context.has(i.row)))
    const cash = reconcileCash(lines, inputs.counts.rows, { zoneFor: rc.zoneFor, keyOf }).filter((c) => covered.has(c.date.slice(0, 7)))
    return { items, cash }
}

export async function runReconcile(rc: Pick<ResolvedConfig, 'config' | 'zoneFor'>, db: StateDb, opts: ReconcileOptions): Promise<ReconcileResult> {
    const ctx = { zoneFor: rc.zoneFor, channelAliases: rc.config.aliases.channel }
    // Databases and APIs are asked for the chosen month, else the current and previous ones.
    const inputs = await readReconInputs(rc.config.reconciliation, { statements: opts.statements, cashCounts: opts.cashCounts }, ctx, {
        now: opts.now,
        months: opts.month ? [opts.month] : undefined,
        env: opts.env,
    })
    const months = coveredMonths(inputs.statements.rows, inputs.counts.rows, rc.zoneFor)
    // Without a key yet (nothing synced with it), references still pair within the window.
    const keyOf = matchKeyFor(db, !opts.dryRun) ?? ((v: string) => v.trim().toLowerCase())
    const { items, cash } = matchStage(db, rc, inputs, months, keyOf)
    const values = reconValues(items, cash)

    // A source that did not answer would turn its months' figures to 0: they wait for a run that reads it.
    const held = months.filter((m) => inputs.statements.unread.includes(m) || inputs.counts.unread.includes(m))
    const month = opts.month ?? months[months.length - 1] ?? localMonth((opts.now ?? (() => new Date()))().toISOString(), rc.zoneFor(''))
    const facility = opts.facility ?? null
    const mine = <T extends { facility: string }>(x: T) => !facility || x.facility === facility
    const monthItems = items.filter((i) => i.month === month && mine(i))
    const quarantine: QuarantineEntry[] = [...inputs.statements.quarantine, ...inputs.counts.quarantine]
    return {
        report: {
            month,
            facility,
            windowMinutes: rc.config.reconciliation.windowMinutes,
            channels: channelSummaries(monthItems),
            cash: cash.filter((c) => c.date.startsWith(`${month}-`) && mine(c)),
            items: itemDetail(monthItems),
            quarantined: quarantine.length,
            quarantine: quarantine.map((q) => ({ file: q.file, line: q.line, column: q.column, reason: q.reason })),
            months,
        },
        values,
        months: months.filter((m) => !held.includes(m)),
        warnings: held.length
            ? [
                  {
                      fr: `Totaux de ${held.join(', ')} non envoyés à DHIS2 : une source de relevés ou d'arrêtés n'a pas été lue (voir les lignes illisibles) ; ils partiront au prochain rapprochement qui la lit`,
                      en: `Totals of ${held.join(', ')} not sent to DHIS2: a statement or cash-count source was not read (see the unreadable rows); they go out at the next reconciliation that reads it`,
                  },
              ]
            : [],
    }
}
