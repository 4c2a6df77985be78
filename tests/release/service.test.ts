/**
 * `revenue-bridge service install|uninstall` (docs/installing.md): the unit passes
 * `systemd-analyze verify` (Debian's systemd, /usr/bin/systemd-analyze), carries its hardening and
 * never a secret; install writes the secrets file mode 600 and the state directory for the service
 * user only; uninstall removes the unit and keeps the state and the secrets.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ensureBuilt, runCli } from '../integration/harness'

const SECRET = 'd2p_ServiceTestSecret0123456789'
let work: string

beforeAll(() => {
    ensureBuilt()
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-service-'))
})
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

function verify(unitText: string): { status: number | null; stderr: string } {
    const dir = fs.mkdtempSync(path.join(work, 'unit-'))
    const file = path.join(dir, 'revenue-bridge.service')
    fs.writeFileSync(file, unitText)
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', cwd: dir })
    return { status: r.status, stderr: (r.stderr + r.stdout).trim() }
}

test('service install --print: a hardened unit that systemd-analyze verify accepts, with no secret in it', async () => {
    const r = await runCli(['service', 'install', '--print', '--config', '/etc/revenue-bridge/revenue-bridge.yaml'], { DHIS2_TOKEN: SECRET, DHIS2_BASE_URL: 'https://dhis2.example.org' })
    expect(r.code).toBe(0)
    const unit = r.stdout
    for (const line of [
        'User=revenue-bridge',
        'ProtectSystem=strict',
        'ReadWritePaths=/var/lib/revenue-bridge',
        'Restart=on-failure',
        'NoNewPrivileges=yes',
        'PrivateTmp=yes',
        'EnvironmentFile=/etc/revenue-bridge/revenue-bridge.env',
        'CapabilityBoundingSet=',
    ]) {
        expect(unit.split('\n')).toContain(line)
    }
    expect(unit).toMatch(/^ExecStart=\S+node \S+main\.js schedule --config \/etc\/revenue-bridge\/revenue-bridge\.yaml$/m)
    expect(unit).not.toContain(SECRET)
    expect(unit).not.toContain('dhis2.example.org')
    // Only the state directory is writable.
    expect(unit.match(/^ReadWritePaths=.*$/gm)).toEqual(['ReadWritePaths=/var/lib/revenue-bridge'])
    expect(verify(unit)).toEqual({ status: 0, stderr: '' })
    // The check itself can fail: a misspelt hardening value is reported.
    expect(verify(unit.replace('ProtectSystem=strict', 'ProtectSystem=strikt')).stderr).toMatch(/protect system/i)
})

const asRoot = process.getuid?.() === 0 ? test : test.skip
asRoot('service install writes the unit, a mode-600 secrets file and the state directory; uninstall keeps state and secrets', async () => {
    const dirs = { unit: path.join(work, 'systemd'), state: path.join(work, 'state'), env: path.join(work, 'etc', 'revenue-bridge.env') }
    const args = ['--user', 'nobody', '--state-dir', dirs.state, '--secrets-file', dirs.env, '--unit-dir', dirs.unit, '--lang', 'en']
    const r = await runCli(['service', 'install', ...args], { DHIS2_TOKEN: SECRET })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const unitFile = path.join(dirs.unit, 'revenue-bridge.service')
    const unit = fs.readFileSync(unitFile, 'utf8')
    expect(unit).toContain(`ReadWritePaths=${dirs.state}`)
    expect(unit).toContain('User=nobody')
    expect(fs.statSync(dirs.env).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(dirs.env, 'utf8')).not.toContain(SECRET)
    expect(fs.statSync(dirs.state).mode & 0o777).toBe(0o700)
    expect(fs.statSync(dirs.state).uid).toBe(Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()))

    // An existing secrets file readable by others is tightened, its content kept.
    fs.writeFileSync(dirs.env, `DHIS2_TOKEN=${SECRET}\n`)
    fs.chmodSync(dirs.env, 0o644)
    const again = await runCli(['service', 'install', ...args], {})
    expect(again.stdout).toMatch(/set back to mode 600/)
    expect(fs.statSync(dirs.env).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(dirs.env, 'utf8')).toBe(`DHIS2_TOKEN=${SECRET}\n`)

    const un = await runCli(['service', 'uninstall', ...args], {})
    expect(un.code).toBe(0)
    expect(fs.existsSync(unitFile)).toBe(false)
    expect(fs.existsSync(dirs.env)).toBe(true)
    expect(fs.existsSync(dirs.state)).toBe(true)
    const twice = await runCli(['service', 'uninstall', ...args], {})
    expect(twice.code).toBe(2)
    expect(twice.stderr).toMatch(/^No service installed \(.*revenue-bridge\.service missing\)$/m)
})
