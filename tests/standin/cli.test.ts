/**
 * The CLI entry (standin/main.ts) as a child process: its one-line banner, the HTTP test hooks,
 * and a clean stop on SIGTERM. Compiled on the fly (only the stand-in's files) with the
 * project's TypeScript.
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FIXTURES, basic } from './helpers'

const REPO = path.resolve(__dirname, '..', '..')

test('node main.js --port 0 --version 2.40.3 --today 2026-11-23', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-cli-'))
    execFileSync(
        process.execPath,
        [
            path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
            path.join(REPO, 'standin', 'main.ts'),
            '--outDir', out, '--rootDir', REPO, '--module', 'commonjs', '--target', 'ES2022', '--moduleResolution', 'node10',
            '--esModuleInterop', '--skipLibCheck', '--strict', '--types', 'node',
        ],
        { cwd: REPO, stdio: 'pipe' }
    )
    const child = spawn(process.execPath, [path.join(out, 'standin', 'main.js'), '--port', '0', '--version', '2.40.3', '--today', '2026-11-23'], {
        env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules'), STANDIN_FIXTURES_DIR: FIXTURES },
        stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
        const line = await new Promise<string>((resolve, reject) => {
            let buf = ''
            child.stdout.on('data', (d) => {
                buf += d
                if (buf.includes('\n')) resolve(buf.split('\n')[0])
            })
            child.on('exit', (code) => reject(new Error(`exited ${code}`)))
            setTimeout(() => reject(new Error('no banner')), 20000).unref()
        })
        const m = /^DHIS2 stand-in listening on (http:\/\/127\.0\.0\.1:\d+) \(version 2\.40\.3\)$/.exec(line)
        expect(m).not.toBeNull()
        const url = m![1]
        const info = await fetch(`${url}/api/system/info?fields=version,serverDate`, { headers: { Authorization: basic('admin', 'district') } }).then((r) => r.json() as Promise<any>)
        expect(info.version).toBe('2.40.3')
        expect(info.serverDate).toMatch(/^2026-11-23T/)
        const fault = await fetch(`${url}/__standin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ failNext: { count: 1, status: 503 } }) })
        expect(fault.status).toBe(200)
        expect((await fetch(`${url}/api/ping`)).status).toBe(503)
        const ds = await fetch(`${url}/api/dataSets/tS4D4c2HiTk?fields=id`, { headers: { Authorization: basic('admin', 'district') } }).then((r) => r.json() as Promise<any>)
        expect(ds).toEqual({ id: 'tS4D4c2HiTk' })
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
        child.kill('SIGTERM')
        expect(await exited).toBe(0)
    } finally {
        if (child.exitCode === null) child.kill('SIGKILL')
        fs.rmSync(out, { recursive: true, force: true })
    }
}, 60000)
