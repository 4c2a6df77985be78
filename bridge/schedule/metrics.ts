import type { SyncReport } from '../report/schema'

/** Counters of a scheduler's life, rendered in the Prometheus text format (version 0.0.4). */
export class BridgeMetrics {
    runs = new Map<number, number>()
    linesRead = 0
    valuesSent = 0
    conflicts = 0
    quarantined = 0
    outboxDepth = 0
    lastSuccess: number | null = null
    lastRun: number | null = null
    running = false
    /** trace: values the last verify found drifted and left so (null before the first verify). */
    driftedValues: number | null = null
    lastVerify: number | null = null

    recordVerify(left: number, at: Date): void {
        this.driftedValues = left
        this.lastVerify = at.getTime() / 1000
    }

    record(report: SyncReport): void {
        this.runs.set(report.exitCode, (this.runs.get(report.exitCode) ?? 0) + 1)
        this.linesRead += report.linesRead
        this.valuesSent += report.valuesSent
        this.conflicts += report.conflicts.length
        this.quarantined += report.quarantined
        this.outboxDepth = report.valuesWaiting
        this.lastRun = Date.parse(report.finishedAt) / 1000
        if (report.exitCode === 0) this.lastSuccess = this.lastRun
    }

    recordFailure(exitCode: number, at: Date): void {
        this.runs.set(exitCode, (this.runs.get(exitCode) ?? 0) + 1)
        this.lastRun = at.getTime() / 1000
    }

    render(): string {
        const out: string[] = []
        const metric = (name: string, type: string, help: string, samples: Array<[string, number]>) => {
            out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
            for (const [labels, v] of samples) out.push(`${name}${labels} ${v}`)
        }
        metric('revenue_bridge_runs_total', 'counter', 'Sync runs by exit code.', [...this.runs].sort().map(([code, n]) => [`{exit_code="${code}"}`, n]))
        metric('revenue_bridge_ledger_lines_read_total', 'counter', 'Ledger rows read.', [['', this.linesRead]])
        metric('revenue_bridge_values_sent_total', 'counter', 'Data values sent to DHIS2.', [['', this.valuesSent]])
        metric('revenue_bridge_conflicts_total', 'counter', 'Values DHIS2 or the pre-flight rejected.', [['', this.conflicts]])
        metric('revenue_bridge_quarantined_rows_total', 'counter', 'Ledger rows quarantined.', [['', this.quarantined]])
        metric('revenue_bridge_outbox_depth', 'gauge', 'Values waiting to be accepted by DHIS2.', [['', this.outboxDepth]])
        metric('revenue_bridge_running', 'gauge', '1 while a sync runs.', [['', this.running ? 1 : 0]])
        if (this.lastSuccess !== null) metric('revenue_bridge_last_success_timestamp_seconds', 'gauge', 'End of the last fully successful sync.', [['', this.lastSuccess]])
        if (this.lastRun !== null) metric('revenue_bridge_last_run_timestamp_seconds', 'gauge', 'End of the last sync.', [['', this.lastRun]])
        if (this.driftedValues !== null) metric('revenue_bridge_drifted_values', 'gauge', 'Values DHIS2 no longer holds as accepted (last verify, after repair).', [['', this.driftedValues]])
        if (this.lastVerify !== null) metric('revenue_bridge_last_verify_timestamp_seconds', 'gauge', 'End of the last verify.', [['', this.lastVerify]])
        return out.join('\n') + '\n'
    }
}
