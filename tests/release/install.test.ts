/**
 * The release as an IT officer gets it (docs/installing.md): the `npm pack` tarball installed with
 * `npm install -g` into an empty prefix, and the offline bundle unpacked into an empty folder with
 * npm out of reach; each then runs `setup` and `sync` against the stand-in over HTTP.
 * Slow (the global install builds better-sqlite3 when no prebuilt binary can be fetched).
 */
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { key, readPayrevValues } from '../integration/dhis2-reader'
import { REPO, runCommand } from '../integration/harness'

jest.setTimeout(600_000)

const LEDGER = [
    'transaction_id;line_no;occurred_at;facility_code;channel;service;amount_xof;type;status',
    'R1;1;2026-09-03 09:15;ML-BKO-HDB;Espèces;Consultation;3 000;PAYMENT;SUCCESS',
    'R2;1;2026-09-04 10:00;ML-BKO-HDB;Orange Money;Examens;12 500;PAYMENT;SUCCESS',
    'R3;1;2026-10-05 11:00;ML-BKO-HDB;Carte;Pharmacie;4 000;PAYMENT;SUCCESS',
].join('\n')

let standin: Standin
let work: string
let ledgerDir: string

beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-release-'))
    ledgerDir = path.join(work, 'exports')
    fs.mkdirSync(ledgerDir)
    fs.writeFileSync(path.join(ledgerDir, 'caisse.csv'), LEDGER)
    standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
})
afterAll(async () => {
    await standin?.close()
    fs.rmSync(work, { recursive: true, force: true })
})

/** setup then sync with the installed command; the values must be in the stand-in afterwards. */
async function setupAndSync(command: string, pathDirs: string, stateDir: string) {
    const env = { PATH: pathDirs, DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: stateDir, LANG: 'en_GB.UTF-8' }
    const setup = await runCommand(command, ['setup', '--json', '--ledger', ledgerDir], env, work)
    expect(setup.stderr).toBe('')
    expect(setup.code).toBe(0)
    const sync = await runCommand(command, ['sync', '--json', '--ledger', ledgerDir], env, work)
    expect(sync.code).toBe(0)
    const report = JSON.parse(sync.stdout) as { linesRead: number; valuesSent: number; valuesWaiting: number }
    expect(report.linesRead).toBe(3)
    expect(report.valuesSent).toBeGreaterThan(0)
    expect(report.valuesWaiting).toBe(0)
    const values = await readPayrevValues(standin.url)
    expect(values[key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'CASH', 'CONSULTATION')]).toBe('3000')
    expect(values[key('PAYREV_GROSS', '202610', 'ML-BKO-HDB', 'CARD', 'PHARMACY')]).toBe('4000')
}

test('npm pack ships the built bridge only; npm install -g of the tarball gives a working revenue-bridge', async () => {
    // A real `npm pack`, whose prepack script builds the bridge — in a copy of the sources, so that
    // rebuilding dist/ cannot disturb the other suites running the repository's CLI meanwhile.
    const src = path.join(work, 'src-copy')
    for (const entry of ['package.json', 'README.md', 'tsconfig.bridge.json', 'contract', 'bridge', 'standin', 'demo', 'bench', 'docs']) {
        fs.cpSync(path.join(REPO, entry), path.join(src, entry), { recursive: true, filter: (f) => !f.endsWith('.test.ts') })
    }
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(src, 'node_modules'))
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: src, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0] as {
        filename: string
        size: number
        files: Array<{ path: string }>
    }
    const files = packed.files.map((f) => f.path)
    expect(files).toContain('dist/bridge/cli/main.js')
    expect(files).toContain('docs/installing.md')
    expect(files.filter((f) => !/^(dist\/(bridge|contract)\/|docs\/installing\.md$|package\.json$|README\.md$|LICENSE)/.test(f))).toEqual([])
    const manifest = JSON.parse(execFileSync('tar', ['xzOf', path.join(work, packed.filename), 'package/package.json'], { encoding: 'utf8' })) as { dependencies: Record<string, string> }
    const appOrTestTools = Object.keys(manifest.dependencies).filter((d) => /^(@dhis2\/|react|recharts|@tanstack\/|jest|@testing-library|playwright|typescript|@swc|msw|express)/.test(d))
    expect(appOrTestTools).toEqual([])
    process.stdout.write(`tarball ${packed.filename}: ${packed.size} bytes, ${files.length} files\n`)

    const prefix = path.join(work, 'prefix')
    // npm 11 runs no dependency install script unless allowed: better-sqlite3 builds its native module in one.
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--allow-scripts=better-sqlite3', '--no-audit', '--no-fund', path.join(work, packed.filename)], {
        cwd: work,
        stdio: 'ignore',
    })
    const bin = path.join(prefix, 'bin', 'revenue-bridge')
    expect(fs.existsSync(bin)).toBe(true)
    await setupAndSync(bin, `${path.join(prefix, 'bin')}:${process.env.PATH}`, path.join(work, 'state-npm'))
})

test('the offline bundle runs from an empty folder with only node on PATH', async () => {
    const out = path.join(work, 'bundle-out')
    const made = JSON.parse(execFileSync(process.execPath, [path.join(REPO, 'scripts', 'bundle.mjs'), '--out', out], { cwd: REPO, encoding: 'utf8' })) as { archive: string; bytes: number }
    process.stdout.write(`bundle ${path.basename(made.archive)}: ${made.bytes} bytes\n`)
    // The checksum beside the archive matches what arrived.
    const [sum] = fs.readFileSync(`${made.archive}.sha256`, 'utf8').split(/\s+/)
    expect(crypto.createHash('sha256').update(fs.readFileSync(made.archive)).digest('hex')).toBe(sum)

    const target = path.join(work, 'srv')
    fs.mkdirSync(target)
    execFileSync('tar', ['xzf', made.archive, '-C', target])
    const [dir] = fs.readdirSync(target)
    const root = path.join(target, dir)
    // Every file listed in SHA256SUMS, none altered.
    const sums = fs.readFileSync(path.join(root, 'SHA256SUMS'), 'utf8').trim().split('\n')
    expect(sums.length).toBeGreaterThan(100)
    for (const line of sums.filter((_, i) => i % 25 === 0)) {
        const [hash, file] = line.split('  ')
        expect(crypto.createHash('sha256').update(fs.readFileSync(path.join(root, file))).digest('hex')).toBe(hash)
    }
    expect(fs.existsSync(path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true)
    expect(fs.existsSync(path.join(root, 'node_modules', 'react'))).toBe(false)

    // PATH holds node and nothing else: no npm, no npx.
    const onlyNode = path.join(work, 'only-node')
    fs.mkdirSync(onlyNode)
    fs.symlinkSync(process.execPath, path.join(onlyNode, 'node'))
    const probe = await runCommand('/bin/sh', ['-c', 'command -v npm || echo none'], { PATH: onlyNode }, work)
    expect(probe.stdout.trim()).toBe('none')
    await setupAndSync(path.join(root, 'revenue-bridge'), onlyNode, path.join(work, 'state-bundle'))

    // A node of another ABI is refused in both languages, not with a native-module stack trace.
    const fakeNode = path.join(work, 'fake-node')
    fs.mkdirSync(fakeNode)
    fs.writeFileSync(path.join(fakeNode, 'node'), '#!/bin/sh\ncase "$1" in -p) echo 1;; -v) echo v99.0.0;; esac\n', { mode: 0o755 })
    const refused = await runCommand(path.join(root, 'revenue-bridge'), ['--version'], { PATH: fakeNode }, work)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/construit pour Node\.js \d+/)
    expect(refused.stderr).toMatch(/built for Node\.js \d+/)
})
