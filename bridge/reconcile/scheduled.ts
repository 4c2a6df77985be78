import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { clientFromConfig } from '../dhis2/client-factory'
import { describe } from '../errors'
import { openState } from '../state/db'
import { reconcileAsRun } from './recorded'
import { reconConfigured } from './sources'

/**
 * `schedule`: after each sync, reconcile when statements or counts are configured
 * (`reconciliation.afterSync`, default true). The scheduler holds the state's lock. A failure is
 * logged and never stops the schedule; discrepancies are content, not failures.
 */
export async function reconcileAfterSync(rc: ResolvedConfig, log: (m: Bilingual) => void): Promise<void> {
    const cfg = rc.config.reconciliation
    if (!cfg.afterSync || !reconConfigured(cfg)) return
    try {
        const db = openState(rc.stateDir)
        try {
            const { result, sent } = await reconcileAsRun(rc, db, clientFromConfig(rc), { statements: [], cashCounts: [] })
            // A source that could not be read at all (file, database, API) is said, not only counted.
            for (const q of result.report.quarantine) if (q.line === 0) log(q.reason)
            for (const w of result.warnings) log(w)
            const flagged = result.report.items.filter((i) => i.category !== 'MATCHED').length
            log({
                fr: `Rapprochement ${result.report.month} : ${flagged} écart(s) de paiement, ${result.report.cash.filter((c) => c.flag !== 'OK').length} écart(s) de caisse, ${sent.valuesSent} valeur(s) envoyée(s), ${sent.valuesWaiting} en attente`,
                en: `Reconciliation ${result.report.month}: ${flagged} payment discrepancy(ies), ${result.report.cash.filter((c) => c.flag !== 'OK').length} cash discrepancy(ies), ${sent.valuesSent} value(s) sent, ${sent.valuesWaiting} waiting`,
            })
        } finally {
            db.close()
        }
    } catch (e) {
        const why = describe(e)
        log({ fr: `Échec du rapprochement : ${why.fr}`, en: `Reconciliation failed: ${why.en}` })
    }
}
