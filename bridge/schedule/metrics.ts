import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import type { Health } from '../../contract/health'
import type { SyncReport } from '../report/schema'

const seconds = (iso: string | null) => (iso ? Date.parse(iso) / 1000 : 0)

/**
 * The scheduler's Prometheus page through prom-client: the bridge's counters and gauges, the
 * health words of contract/health.ts, plus prom-client's process and Node runtime metrics.
 * One registry per scheduler (tests start several in one process). Timestamps are 0 until the
 * event first happens, never absent or null (a null value makes Prometheus drop the whole scrape).
 */
export class BridgeMetrics {
    readonly registry = new Registry()
    private readonly runs = new Counter({ name: 'revenue_bridge_runs_total', help: 'Sync runs by exit code.', labelNames: ['exit_code'] as const, registers: [this.registry] })
    private readonly linesRead = new Counter({ name: 'revenue_bridge_ledger_lines_read_total', help: 'Ledger rows read.', registers: [this.registry] })
    private readonly valuesSent = new Counter({ name: 'revenue_bridge_values_sent_total', help: 'Data values sent to DHIS2.', registers: [this.registry] })
    private readonly conflicts = new Counter({ name: 'revenue_bridge_conflicts_total', help: 'Values DHIS2 or the pre-flight rejected.', registers: [this.registry] })
    private readonly quarantined = new Counter({ name: 'revenue_bridge_quarantined_rows_total', help: 'Ledger rows quarantined (each run counts the rows it quarantined).', registers: [this.registry] })
    readonly ticksSkipped = new Counter({ name: 'revenue_bridge_ticks_skipped_total', help: 'Scheduled or requested runs skipped because a sync was still running.', registers: [this.registry] })
    private readonly gauges = {
        outboxDepth: new Gauge({ name: 'revenue_bridge_outbox_depth', help: 'Values waiting to be accepted by DHIS2.', registers: [this.registry] }),
        rejected: new Gauge({ name: 'revenue_bridge_values_rejected', help: 'Values waiting that DHIS2 or the pre-flight refused.', registers: [this.registry] }),
        running: new Gauge({ name: 'revenue_bridge_running', help: '1 while a sync runs.', registers: [this.registry] }),
        failedInARow: new Gauge({ name: 'revenue_bridge_failed_runs_in_a_row', help: 'Runs in a row that did not reach DHIS2 or failed.', registers: [this.registry] }),
        newProblems: new Gauge({ name: 'revenue_bridge_new_problems', help: 'Of the last run: rows quarantined for the first time, values refused, ledger folders without ledger.', registers: [this.registry] }),
        stillQuarantined: new Gauge({ name: 'revenue_bridge_still_quarantined_rows', help: 'Rows the last run quarantined that the run before had quarantined too.', registers: [this.registry] }),
        healthy: new Gauge({ name: 'revenue_bridge_delivering', help: '1 unless health is failing (not delivering).', registers: [this.registry] }),
        lastRun: new Gauge({ name: 'revenue_bridge_last_run_timestamp_seconds', help: 'End of the last sync (0: never).', registers: [this.registry] }),
        lastDelivery: new Gauge({ name: 'revenue_bridge_last_delivery_timestamp_seconds', help: 'End of the last run in which DHIS2 accepted every value (0: never).', registers: [this.registry] }),
        lastClean: new Gauge({ name: 'revenue_bridge_last_clean_run_timestamp_seconds', help: 'End of the last fully clean run, exit 0 (0: never).', registers: [this.registry] }),
    }

    /** trace: registered by the first verify (schedule.verify): absent before, rather than a drift of 0 nobody measured. */
    private verify: { drifted: Gauge; last: Gauge } | null = null

    constructor() {
        collectDefaultMetrics({ register: this.registry })
        // Gauges named *_total break Prometheus naming (promtool's lint); each has a twin without the suffix.
        for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name)
    }

    /** Counters from a finished run's report. */
    record(report: SyncReport): void {
        this.runs.inc({ exit_code: String(report.exitCode) })
        this.linesRead.inc(report.linesRead)
        this.valuesSent.inc(report.valuesSent)
        this.conflicts.inc(report.conflicts.length)
        this.quarantined.inc(report.quarantined)
    }

    recordFailure(exitCode: number): void {
        this.runs.inc({ exit_code: String(exitCode) })
    }

    /** Gauges from health (read from the state, so right after a restart too). */
    setHealth(h: Health): void {
        const g = this.gauges
        g.outboxDepth.set(h.valuesWaiting)
        g.rejected.set(h.valuesRejected)
        g.running.set(h.running ? 1 : 0)
        g.failedInARow.set(h.failedInARow)
        g.newProblems.set(h.newProblems)
        g.stillQuarantined.set(h.stillQuarantined)
        g.healthy.set(h.status === 'failing' ? 0 : 1)
        g.lastRun.set(seconds(h.lastRunAt))
        g.lastDelivery.set(seconds(h.lastDeliveryAt))
        g.lastClean.set(seconds(h.lastCleanRunAt))
    }

    /** trace: after a `verify --repair` (docs/traceability.md), what it left drifted. */
    recordVerify(left: number, at: Date): void {
        this.verify ??= {
            drifted: new Gauge({ name: 'revenue_bridge_drifted_values', help: 'Values DHIS2 no longer holds as accepted (last verify, after repair).', registers: [this.registry] }),
            last: new Gauge({ name: 'revenue_bridge_last_verify_timestamp_seconds', help: 'End of the last verify.', registers: [this.registry] }),
        }
        this.verify.drifted.set(left)
        this.verify.last.set(at.getTime() / 1000)
    }

    render(): Promise<string> {
        return this.registry.metrics()
    }

    get contentType(): string {
        return this.registry.contentType
    }
}
