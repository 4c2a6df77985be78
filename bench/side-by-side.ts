/**
 * Two builds' first syncs of the same ledger, started at the same moment (one per core) against
 * one stand-in, several rounds: on a machine whose speed drifts from minute to minute, both see
 * the same machine at the same time, so the difference is the builds'. Absolute times are higher
 * than alone (two syncs share memory bandwidth and the disk); compare the two columns only.
 *
 *   npm run build:bridge && node dist/bench/side-by-side.js [--rounds 4] [--lines 1000000] BUILD_A BUILD_B
 *
 * BUILD_A, BUILD_B: checkouts with `dist/` built (`npm run build:bridge`), e.g. a `git worktree`
 * of the commit to compare with. Prints each round and the CPU times as JSON.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin } from '../standin'
import { BENCH_DEFAULTS, benchFacilities, ensureBenchFiles } from './generate'

interface ChildOut {
    result: { exitCode: number }
    cpuMs: number
    peakRssMiB: number | null
}

function syncWith(build: string, stateDir: string, url: string, file: string): Promise<ChildOut> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(build, 'dist/bench/child.js'), 'sync', stateDir, url, file], { stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        let err = ''
        child.stdout.on('data', (d) => (out += d))
        child.stderr.on('data', (d) => (err += d))
        child.on('error', reject)
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildOut) : reject(new Error(`${build}: exit ${code}\n${err}`))))
    })
}

async function main(argv: string[]): Promise<void> {
    const opt = (name: string, dflt: number) => {
        const i = argv.indexOf(name)
        if (i < 0) return dflt
        const v = Number(argv.splice(i, 2)[1])
        if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name}: a positive integer`)
        return v
    }
    const rounds = opt('--rounds', 4)
    const lines = opt('--lines', 1_000_000)
    const builds = argv.map((b) => path.resolve(b))
    if (builds.length !== 2 || builds.some((b) => !fs.existsSync(path.join(b, 'dist/bench/child.js')))) {
        throw new Error('usage: side-by-side.js [--rounds N] [--lines N] BUILD_A BUILD_B (each with dist/ built)')
    }
    const { base, delta } = await ensureBenchFiles(path.join(__dirname, '../../bench/data'), { ...BENCH_DEFAULTS, lines }, { share: 0.01, spread: 'recent' })
    const standin = await startStandin({ today: '2026-10-16', seedFixtures: false })
    const states: string[] = []
    const state = () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'side-by-side-'))
        states.push(dir)
        return dir
    }
    try {
        standin.hooks.addOrgUnits([
            { code: 'ML-BEN', name: 'Région de bench', parent: 'ML' },
            ...benchFacilities(BENCH_DEFAULTS.facilities).map((f) => ({ code: f.code, name: f.name, parent: 'ML-BEN' })),
        ])
        // Warm-up: the first sync installs the metadata; two at once on a fresh stand-in would race for it.
        await syncWith(builds[0], state(), standin.url, delta!)
        const cpu: number[][] = [[], []]
        for (let r = 0; r < rounds; r++) {
            const outs = await Promise.all(builds.map((b) => syncWith(b, state(), standin.url, base)))
            outs.forEach((o, i) => cpu[i].push(Math.round(o.cpuMs) / 1000))
            process.stdout.write(`round ${r + 1}: ${outs.map((o, i) => `${path.basename(builds[i])} ${(o.cpuMs / 1000).toFixed(2)} s CPU, peak ${o.peakRssMiB?.toFixed(0)} MiB, exit ${o.result.exitCode}`).join(' | ')}\n`)
            for (const dir of states.splice(1)) fs.rmSync(dir, { recursive: true, force: true })
        }
        process.stdout.write(`${JSON.stringify({ lines, [builds[0]]: cpu[0], [builds[1]]: cpu[1] })}\n`)
    } finally {
        await standin.close()
        for (const dir of states) fs.rmSync(dir, { recursive: true, force: true })
    }
}

main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`)
    process.exit(2)
})
