import path from 'node:path'
import { readConfigFile } from '../config/load'
import { openState } from '../state/db'
import { LineStore } from '../state/lines'
import { RunStore, type RunRow } from '../state/runs'
import { Outbox } from '../dhis2/outbox'
import type { Lang } from '../report/lang'
import { HEALTH_WORDS, type Health } from '../../contract/health'
import { failedInARow, readHealth } from '../schedule/health'
import { lastVerify, type VerifyMeta } from '../trace/publish'

export interface StatusReport {
    command: 'status'
    stateDir: string
    lines: number
    values: { keys: number; pending: number; rejected: number }
    quarantine: { total: number; lastRun: number }
    lastSuccessAt: string | null
    /** The health words of contract/health.ts, read from the state. */
    health: Health
    /** trace: the last verify (docs/traceability.md), null before the first one. */
    lastVerify: Omit<VerifyMeta, 'leftByScope' | 'lmisLeftByScope' | 'reconLeftByScope'> | null
    runs: Array<Omit<RunRow, 'summary'> & { linesRead?: number; valuesSent?: number; quarantined?: number; conflicts?: number }>
}

/** Reads the state only: needs no DHIS2 and no credentials. */
export function runStatus(configFile: string | undefined, env: NodeJS.ProcessEnv = process.env): StatusReport {
    const { config } = readConfigFile(configFile)
    const stateDir = path.resolve(env.BRIDGE_STATE_DIR?.trim() || config.stateDir || '.bridge-state')
    const db = openState(stateDir, { readonly: true })
    try {
        const runs = new RunStore(db)
        return {
            command: 'status',
            stateDir,
            lines: new LineStore(db).count(),
            values: new Outbox(db, 'revenue').counts(),
            quarantine: runs.quarantineCounts(),
            lastSuccessAt: runs.lastSuccessAt(),
            health: readHealth(db, {
                running: false,
                failedInARow: failedInARow(db),
                afterFailedRuns: config.schedule.alerts.afterFailedRuns,
                waitingLongerThanMinutes: config.schedule.alerts.waitingLongerThanMinutes,
                nextRunAt: null,
                now: new Date(),
            }),
            lastVerify: verifySummary(db),
            runs: runs.recent(10).map(({ summary, ...run }) => {
                const s = (summary ?? {}) as { linesRead?: number; valuesSent?: number; quarantined?: number; conflicts?: unknown[] }
                return { ...run, linesRead: s.linesRead, valuesSent: s.valuesSent, quarantined: s.quarantined, conflicts: s.conflicts?.length }
            }),
        }
    } finally {
        db.close()
    }
}

function verifySummary(db: ReturnType<typeof openState>): StatusReport['lastVerify'] {
    const v = lastVerify(db)
    if (!v) return null
    const { leftByScope: _perScope, lmisLeftByScope: _lmisPerScope, reconLeftByScope: _reconPerScope, ...summary } = v
    return summary
}

export function renderStatus(s: StatusReport, lang: Lang): string {
    const fr = lang === 'fr'
    const out = [
        `${fr ? 'État du pont' : 'Bridge status'} — ${s.stateDir}`,
        `${fr ? 'Lignes connues' : 'Known lines'}: ${s.lines}`,
        `${fr ? 'Valeurs suivies' : 'Tracked values'}: ${s.values.keys} — ${fr ? 'en attente' : 'waiting'} ${s.values.pending ?? 0}, ${fr ? 'refusées' : 'rejected'} ${s.values.rejected ?? 0}`,
        `${fr ? 'Quarantaine' : 'Quarantine'}: ${s.quarantine.total} (${fr ? 'dernière exécution' : 'last run'} ${s.quarantine.lastRun})`,
        `${HEALTH_WORDS.lastDelivery[lang]}: ${s.health.lastDeliveryAt ?? (fr ? 'jamais' : 'never')}`,
        `${HEALTH_WORDS.lastCleanRun[lang]}: ${s.health.lastCleanRunAt ?? (fr ? 'jamais' : 'never')}`,
        `${HEALTH_WORDS.newProblems[lang]}: ${s.health.newProblems} — ${HEALTH_WORDS.stillQuarantined[lang].toLowerCase()} ${s.health.stillQuarantined}`,
        ...s.health.problems.map((p) => `  - ${p[lang]}`),
        `${fr ? 'Dernière vérification' : 'Last verify'}: ${s.lastVerify ? `${s.lastVerify.at} — ${s.lastVerify.checked} ${fr ? 'valeurs' : 'values'}, ${s.lastVerify.drifted} ${fr ? 'écart(s)' : 'drifted'}, ${s.lastVerify.left} ${fr ? 'restant(s)' : 'left'}` : fr ? 'jamais' : 'never'}`,
        fr ? 'Dernières exécutions :' : 'Last runs:',
    ]
    for (const r of s.runs) {
        // What the run's summary counts: a sync all four, a reconciliation no ledger line, a verify none.
        const counts =
            r.valuesSent === undefined
                ? ''
                : `${r.linesRead !== undefined ? ` ${fr ? 'lignes' : 'lines'}=${r.linesRead}` : ''} ${fr ? 'valeurs' : 'values'}=${r.valuesSent} quarantine=${r.quarantined ?? 0} conflicts=${r.conflicts ?? 0}`
        out.push(`  #${r.id} ${r.command} ${r.startedAt} → ${r.finishedAt ?? (fr ? 'interrompue' : 'interrupted')} exit=${r.exitCode ?? '?'}${counts}`)
    }
    return out.join('\n')
}
