/**
 * Shared machinery of the fault-injection suite: generated ledgers, the built CLI spawned as a
 * child process (so it can be killed with SIGKILL), the "uninterrupted run" reference computed
 * on a fresh stand-in, and the comparison of DHIS2 states read back through the Web API in codes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DEMO_BAD_ROWS, demoLedgerCsv, generateDemoLedger, type DemoLedger } from '../../demo/generate-ledger'
import { startStandin, type Standin } from '../../standin'
import { api, readPayrevValues } from '../integration/dhis2-reader'
import type { CliResult } from '../integration/harness'
import { FaultProxy } from './proxy'

export const REPO = path.resolve(__dirname, '..', '..')
/** FAULTS_CLI runs the suite against another build of the CLI (e.g. the last commit's, to see a fix's test fail). */
export const CLI = process.env.FAULTS_CLI ?? path.join(REPO, 'dist', 'bridge', 'cli', 'main.js')
export const VERSION = '2.41.3'
export const TODAY = '2026-11-23'
export const BRIDGE_USER = { DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!' }

/** The suite drives the built CLI: (re)build it when a bridge source is newer than the build. */
export function ensureFreshBuild(): void {
    // To run the suite against a given build (e.g. to see a fix's test fail before the fix).
    if (process.env.FAULTS_CLI) return
    const built = fs.existsSync(CLI) ? fs.statSync(CLI).mtimeMs : 0
    const newer = (dir: string): boolean =>
        fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
            const p = path.join(dir, e.name)
            if (e.isDirectory()) return newer(p)
            return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && fs.statSync(p).mtimeMs > built
        })
    if (!built || newer(path.join(REPO, 'bridge'))) {
        try {
            execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.bridge.json'], { cwd: REPO, stdio: 'pipe' })
        } catch (e) {
            // tsc still emits on type errors (someone else's work in progress): go on if it built.
            if (!fs.existsSync(CLI)) throw e
        }
    }
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Fast retries so that a fault costs milliseconds, small batches so that a run has several. */
export interface FaultConfig {
    retries?: number
    retryBaseDelayMs?: number
    timeoutMs?: number
    batchSize?: number
    asyncAbove?: number
    asyncPollMs?: number
    asyncMaxWaitMs?: number
}

export function writeConfig(dir: string, c: FaultConfig = {}): string {
    const file = path.join(dir, 'bridge.json')
    const dhis2 = { retries: 2, retryBaseDelayMs: 20, timeoutMs: 3000, batchSize: 150, asyncAbove: 100_000, asyncPollMs: 50, asyncMaxWaitMs: 20_000, ...c }
    // Port 0: the scheduler's endpoint is not needed here.
    fs.writeFileSync(file, JSON.stringify({ dhis2, schedule: { http: { port: 0 } } }, null, 2))
    return file
}

/** The demo generator's ledger without its deliberately bad rows: every run can end with exit 0. */
export function cleanDemoLedger(months: number, endDate = '2026-10-31', seed = 7): DemoLedger {
    const bad = new Set(DEMO_BAD_ROWS.map((b) => b.transactionId))
    const ledger = generateDemoLedger({ seed, endDate, months })
    return { header: ledger.header, rows: ledger.rows.filter((r) => r.transaction_id && !bad.has(r.transaction_id)) }
}

export function writeLedger(dir: string, name: string, ledger: DemoLedger): string {
    const file = path.join(dir, name)
    fs.writeFileSync(file, demoLedgerCsv(ledger))
    return file
}

/**
 * A later export of the same ledger that changes history: a few payments reversed, every mobile
 * payment of one facility in September re-attributed to cash (its mobile keys lose all their
 * lines and must fall to 0), and new November receipts.
 */
export function laterExport(base: DemoLedger): DemoLedger {
    const rows = base.rows.map((r, i) => {
        const row = { ...r }
        if (i % 37 === 5 && row.status === 'SUCCESS') row.status = 'REVERSED'
        if (row.facility_code === 'ML-SIK-HRS' && row.occurred_at.startsWith('2026-09') && /om|orange|moov|sama/i.test(row.channel)) row.channel = 'Espèces'
        return row
    })
    const november = base.rows.filter((r) => r.occurred_at.startsWith('2026-10-0')).map((r) => ({ ...r, transaction_id: `NOV-${r.transaction_id}`, occurred_at: r.occurred_at.replace('2026-10-0', '2026-11-0') }))
    return { header: base.header, rows: [...rows, ...november] }
}

export interface Spawned {
    child: ChildProcess
    done: Promise<CliResult>
}

/** The CLI as a child process, with a clean environment (PATH and what the test gives). */
export function spawnCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000): Spawned {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    const done = new Promise<CliResult>((resolve, reject) => {
        child.on('error', reject)
        child.on('close', (code, signal) => {
            clearTimeout(timer)
            resolve({
                code: code ?? (signal === 'SIGKILL' ? 137 : -1),
                stdout,
                stderr,
                json<T>() {
                    try {
                        return JSON.parse(stdout) as T
                    } catch {
                        throw new Error(`stdout is not one JSON document (exit ${code ?? signal}):\n${stdout.slice(0, 2000)}\nstderr:\n${stderr.slice(0, 4000)}`)
                    }
                },
            })
        })
    })
    return { child, done }
}

export const runCli = (args: string[], env: Record<string, string | undefined>) => spawnCli(args, env).done

export async function hook(standin: Standin, body: unknown): Promise<void> {
    const res = await fetch(`${standin.url}/__standin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`fault hook refused: ${res.status} ${await res.text()}`)
}

/** One scenario's world: a stand-in, the fault proxy in front of it, a state directory, the environment of the bridge. */
export interface World {
    standin: Standin
    proxy: FaultProxy
    stateDir: string
    dir: string
    config: string
    env: Record<string, string>
    close(): Promise<void>
}

export async function world(config: FaultConfig = {}): Promise<World> {
    const standin = await startStandin({ version: VERSION, today: TODAY })
    const proxy = new FaultProxy(standin.url)
    await proxy.start()
    const dir = tempDir('bridge-faults-')
    const stateDir = path.join(dir, 'state')
    const cfg = writeConfig(dir, config)
    return {
        standin,
        proxy,
        stateDir,
        dir,
        config: cfg,
        env: { DHIS2_BASE_URL: proxy.url, ...BRIDGE_USER, BRIDGE_STATE_DIR: stateDir, LANG: 'C' },
        async close() {
            await proxy.stop()
            await standin.close()
        },
    }
}

/** sync as a person runs it after setup; returns the JSON report. */
export async function sync(w: World, ledgers: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; report: any; result: CliResult }> {
    const result = await runCli(['sync', '--config', w.config, '--json', ...ledgers.flatMap((l) => ['--ledger', l])], { ...w.env, ...extraEnv })
    return { code: result.code, report: result.code === 137 ? null : result.json(), result }
}

export async function setup(w: World, ledger: string): Promise<void> {
    const r = await runCli(['setup', '--config', w.config, '--json', '--ledger', ledger], w.env)
    if (r.code !== 0) throw new Error(`setup failed (${r.code}): ${r.stdout}\n${r.stderr}`)
}

const references = new Map<string, Promise<Record<string, string>>>()

/**
 * What DHIS2 holds after uninterrupted runs of these ledgers, one sync per entry, on a fresh
 * stand-in with the same configuration. Computed once per sequence.
 */
export function referenceState(runs: string[][], config: FaultConfig = {}): Promise<Record<string, string>> {
    const id = JSON.stringify({ runs, config })
    if (!references.has(id)) {
        references.set(
            id,
            (async () => {
                const w = await world(config)
                try {
                    await setup(w, runs[0][0])
                    for (const ledgers of runs) {
                        const r = await sync(w, ledgers)
                        if (r.code !== 0) throw new Error(`reference run failed (${r.code}): ${r.result.stdout.slice(0, 2000)}`)
                    }
                    return await readPayrevValues(w.standin.url)
                } finally {
                    await w.close()
                }
            })()
        )
    }
    return references.get(id)!
}

/** Keys whose values differ, for a readable failure (empty when the states are equal). */
export function stateDiff(actual: Record<string, string>, expected: Record<string, string>): string[] {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)])
    const out: string[] = []
    for (const k of [...keys].sort()) if (actual[k] !== expected[k]) out.push(`${k}: DHIS2 ${actual[k] ?? '∅'} ≠ uninterrupted ${expected[k] ?? '∅'}`)
    return out
}

/**
 * Keys (in the codes of readPayrevValues) that reached the stand-in in any POST /api/dataValueSets,
 * from its request log.
 */
export async function receivedKeys(standin: Standin): Promise<Set<string>> {
    const cocs = await api<{ categoryOptionCombos: Array<{ id: string; categoryOptions: Array<{ code?: string }> }> }>(standin.url, 'categoryOptionCombos?fields=id,categoryOptions[code]&paging=false')
    const cocCodes = new Map(cocs.body.categoryOptionCombos.map((c) => [c.id, c.categoryOptions.map((o) => o.code ?? '?').sort().join('+')]))
    const des = await api<{ dataElements: Array<{ id: string; code: string }> }>(standin.url, 'dataElements?fields=id,code&paging=false')
    const deCodes = new Map(des.body.dataElements.map((d) => [d.id, d.code]))
    const ous = await api<{ organisationUnits: Array<{ id: string; code: string }> }>(standin.url, 'organisationUnits?fields=id,code&paging=false')
    const ouCodes = new Map(ous.body.organisationUnits.map((o) => [o.id, o.code]))
    const out = new Set<string>()
    for (const r of standin.hooks.requests()) {
        if (r.method !== 'POST' || !r.path.endsWith('/dataValueSets')) continue
        const body = JSON.parse(r.body || '{}') as { dataValues?: Array<{ dataElement: string; period: string; orgUnit: string; categoryOptionCombo: string }> }
        for (const v of body.dataValues ?? []) out.add(`${deCodes.get(v.dataElement)}|${v.period}|${ouCodes.get(v.orgUnit)}|${cocCodes.get(v.categoryOptionCombo)}`)
    }
    return out
}

/**
 * DHIS2 equals the uninterrupted run's state. One difference is allowed when `allowNeverSent`
 * is set, and only for keys DHIS2 never received: the uninterrupted run holds them at 0 (sent
 * with a value, then zeroed by a later export, docs/contract.md §3) where the interrupted one never sent
 * them — "combinations that never had a value are not sent".
 */
export async function expectSameAsUninterrupted(standin: Standin, expected: Record<string, string>, opts: { allowNeverSent?: boolean } = {}): Promise<void> {
    const actual = await readPayrevValues(standin.url)
    expect(Object.keys(expected).length).toBeGreaterThan(100)
    let diff = stateDiff(actual, expected)
    if (opts.allowNeverSent && diff.length) {
        const received = await receivedKeys(standin)
        diff = diff.filter((d) => {
            const k = d.slice(0, d.indexOf(': '))
            return !(expected[k] === '0' && actual[k] === undefined && !received.has(k))
        })
    }
    expect(diff).toEqual([])
}

/** Polls until `check` is true (or fails after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 20): Promise<void> {
    const end = Date.now() + timeoutMs
    while (!(await check())) {
        if (Date.now() > end) throw new Error('condition not met in time')
        await new Promise((r) => setTimeout(r, everyMs))
    }
}

/** Every warning and error of a report, in both languages, for matching. */
export function said(report: any): { en: string; fr: string } {
    const all = [...(report?.warnings ?? []), ...(report?.errors ?? [])]
    return { en: all.map((m: any) => m.en).join('\n'), fr: all.map((m: any) => m.fr).join('\n') }
}
