import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import { lineScope } from '../../bridge/aggregate'
import type { ResolvedConfig } from '../../bridge/config/load'
import { configSchema } from '../../bridge/config/schema'
import type { Dhis2Client } from '../../bridge/dhis2/client'
import type { LedgerLine } from '../../bridge/domain/line'
import { openState, type StateDb } from '../../bridge/state/db'
import { LineStore } from '../../bridge/state/lines'
import { registerStockCommands } from '../../bridge/stock/cli'
import { runStockLeg, type StockLegReport } from '../../bridge/stock/leg'

let seq = 0

/** A pharmacy sale line; override what the test is about. */
export function line(p: Partial<LedgerLine> & { occurredAt: string }): LedgerLine {
    seq++
    return {
        transactionId: `T${seq}`,
        lineNo: 1,
        updatedAt: null,
        facilityCode: 'ML-BKO-HDB',
        channel: 'CASH',
        service: 'PHARMACY',
        amountXof: 1000,
        type: 'PAYMENT',
        status: 'SUCCESS',
        productCode: 'AMOX500C',
        productName: 'Amoxicilline 500 mg gélule',
        quantity: 10,
        unit: 'gélule',
        ...p,
    }
}

export function makeRc(raw: Record<string, unknown>, stateDir: string): ResolvedConfig {
    const config = configSchema.parse(raw)
    const byCode = new Map(config.facilities.map((f) => [f.code, f]))
    const defaultTimeZone = config.timeZone ?? 'Africa/Bamako'
    return {
        config,
        configFile: null,
        baseUrl: 'http://dhis2.invalid',
        credentials: { kind: 'token', token: 'unused' },
        stateDir,
        defaultTimeZone,
        zoneFor: (c) => byCode.get(c)?.timeZone ?? defaultTimeZone,
        orgUnitRefFor: (c) => byCode.get(c)?.orgUnit ?? c,
    }
}

/** A state directory with the bridge's tables, fed the way sync feeds it. */
export class StockHarness {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stock-state-'))
    readonly db: StateDb
    readonly lines: LineStore
    rc: ResolvedConfig
    private runId = 0

    constructor(
        private raw: Record<string, unknown>,
        private env: NodeJS.ProcessEnv = {}
    ) {
        this.db = openState(this.dir)
        this.lines = new LineStore(this.db)
        this.rc = makeRc(raw, this.dir)
    }

    setEnv(env: NodeJS.ProcessEnv): void {
        this.env = env
    }

    reconfigure(raw: Record<string, unknown>): void {
        this.raw = raw
        this.rc = makeRc(raw, this.dir)
    }

    ingest(lines: LedgerLine[]): void {
        this.runId++
        const ctx = { periodType: this.rc.config.periodType, zoneFor: this.rc.zoneFor }
        for (const l of lines) this.lines.ingest(l, lineScope(l, ctx), this.runId)
    }

    /** Like sync: the dirty scopes, then the stock leg, then the scopes are clean. */
    async run(opts: { client?: Dhis2Client | null; dryRun?: boolean; now?: Date } = {}): Promise<StockLegReport> {
        const scopes = this.lines.dirtyScopes()
        const report = await runStockLeg({
            db: this.db,
            rc: this.rc,
            client: opts.client ?? null,
            scopes,
            pharmacyLines: (s) => this.lines.pharmacyLines(s),
            dryRun: opts.dryRun ?? false,
            now: () => opts.now ?? new Date('2025-04-02T08:00:00Z'),
            env: this.env,
        })
        if (!opts.dryRun) this.lines.clearDirty()
        return report
    }

    close(): void {
        this.db.close()
        fs.rmSync(this.dir, { recursive: true, force: true })
    }
}

class Exit extends Error {
    constructor(readonly code: number) {
        super(`exit ${code}`)
    }
}

/** Run `revenue-bridge stock …` in-process; stdout, stderr and the exit code are captured. */
export async function runStockCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = ''
    let stderr = ''
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true))
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true))
    const exit = jest.spyOn(process, 'exit').mockImplementation(((c?: number) => {
        throw new Exit(c ?? 0)
    }) as never)
    process.exitCode = 0
    let code = 0
    try {
        const program = new Command('revenue-bridge').exitOverride()
        registerStockCommands(program)
        await program.parseAsync(['node', 'revenue-bridge', 'stock', ...args])
        code = Number(process.exitCode ?? 0)
    } catch (e) {
        if (!(e instanceof Exit)) throw e
        code = e.code
    } finally {
        out.mockRestore()
        err.mockRestore()
        exit.mockRestore()
        process.exitCode = 0
    }
    return { code, stdout, stderr }
}

