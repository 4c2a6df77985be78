/**
 * One measurement in a fresh process, so that its peak resident memory (VmHWM) is its own:
 *   node dist/bench/child.js pass FILE
 *   node dist/bench/child.js sync STATE_DIR BASE_URL FILE…   (BENCH_BRIDGE_CONFIG: a bridge configuration file)
 * Prints one JSON line on stdout: { result, innerMs, cpuMs (whole process), peakRssMiB }.
 */
import { aggregatePass, peakRssMiB } from './pass'

async function main(argv: string[]): Promise<void> {
    const [mode, ...rest] = argv
    const started = process.hrtime.bigint()
    let result: unknown
    if (mode === 'pass') {
        const r = await aggregatePass(rest[0])
        result = { ...r, totals: Object.fromEntries(r.totals) }
    } else if (mode === 'sync') {
        const [stateDir, baseUrl, ...files] = rest
        // Loaded only here: the pass must not pay for loading the whole bridge.
        const { syncOnce } = await import('./sync-run')
        result = await syncOnce({ stateDir, baseUrl, files, configFile: process.env.BENCH_BRIDGE_CONFIG || undefined })
    } else {
        throw new Error(`unknown mode ${mode}`)
    }
    const innerMs = Number(process.hrtime.bigint() - started) / 1e6
    const cpu = process.cpuUsage()
    process.stdout.write(`${JSON.stringify({ result, innerMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: peakRssMiB() })}\n`)
}

main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`)
    process.exit(1)
})
