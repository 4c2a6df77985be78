/** One measurement in a child process (its own peak memory), or in this process for the smoke test. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { aggregatePass } from './pass'

const CHILD = path.join(__dirname, 'child.js')

export interface Measured<T> {
    result: T
    wallMs: number
    /** CPU time of the measuring process (user + system). */
    cpuMs: number | null
    peakRssMiB: number | null
}

/** One child measurement (or the same code in this process for the smoke test). */
export async function measure<T>(opts: { inProcess: boolean }, args: string[], env: Record<string, string> = {}): Promise<Measured<T>> {
    const started = process.hrtime.bigint()
    if (opts.inProcess) {
        const cpu = process.cpuUsage()
        let result: unknown
        if (args[0] === 'pass') {
            const r = await aggregatePass(args[1])
            result = { ...r, totals: Object.fromEntries(r.totals) }
        } else {
            const { syncOnce } = await import('./sync-run')
            result = await syncOnce({ stateDir: args[1], baseUrl: args[2], files: args.slice(3), configFile: env.BENCH_BRIDGE_CONFIG })
        }
        const used = process.cpuUsage(cpu)
        return { result: result as T, wallMs: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (used.user + used.system) / 1000, peakRssMiB: null }
    }
    return new Promise((resolve, reject) => {
        // BENCH_CHILD_NODE_ARGS (e.g. "--max-old-space-size=128"): Node options for the measured child only.
        const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean)
        const child = spawn(process.execPath, [...nodeArgs, CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (d) => (stdout += d))
        child.stderr.on('data', (d) => (stderr += d))
        child.on('error', reject)
        child.on('exit', (code) => {
            const wallMs = Number(process.hrtime.bigint() - started) / 1e6
            if (code !== 0) return reject(new Error(`bench child ${args.join(' ')} exited with ${code}:\n${stderr}`))
            const out = JSON.parse(stdout.trim().split('\n').pop()!) as { result: T; cpuMs: number; peakRssMiB: number | null }
            resolve({ result: out.result, wallMs, cpuMs: out.cpuMs, peakRssMiB: out.peakRssMiB })
        })
    })
}
