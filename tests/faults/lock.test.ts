/**
 * The state lock after a crash. A lock left by a killed bridge is taken over; a lock taken before
 * a power cut names a PID that, after the reboot, may belong to any process (PID 1 here, always
 * alive): it must not block the bridge forever. A lock held by a live bridge in this boot still wins.
 */
import fs from 'node:fs'
import path from 'node:path'
import { acquireLock, LockBusyError } from '../../bridge/state/lock'
import { ensureFreshBuild, runCli, spawnCli, tempDir } from './helpers'

const linux = fs.existsSync('/proc/sys/kernel/random/boot_id')
const thisBoot = linux ? fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : ''

test('a lock from a killed process is taken over', async () => {
    ensureFreshBuild()
    const dir = tempDir('lock-')
    // `schedule` holds the lock for its whole life; kill it with SIGKILL, the lock file stays.
    const config = path.join(dir, 'bridge.json')
    fs.writeFileSync(config, JSON.stringify({ dhis2: { retries: 0, timeoutMs: 500 }, schedule: { cron: '0 0 1 1 *', http: { port: 0 } } }))
    const env = { DHIS2_BASE_URL: 'http://127.0.0.1:9', DHIS2_TOKEN: 'd2p_unused', BRIDGE_STATE_DIR: dir }
    const s = spawnCli(['schedule', '--config', config], env)
    const lock = path.join(dir, 'bridge.lock')
    for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 25))
    expect(fs.readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(s.child.pid))
    // While it lives, a second bridge on the same state is refused.
    const busy = await runCli(['sync', '--config', config, '--json'], env)
    expect(busy.code).toBe(1)
    expect(busy.json<any>().error.en).toMatch(/Another bridge process \(PID \d+\) is already using/)
    s.child.kill('SIGKILL')
    await s.done
    expect(fs.existsSync(lock)).toBe(true)
    const after = await runCli(['sync', '--config', config, '--json'], env)
    expect(after.code).toBe(4) // it ran (DHIS2 is unreachable here), it was not refused
})

;(linux ? test : test.skip)('a lock from before a reboot is stale even if its PID is alive now', () => {
    const dir = tempDir('lock-')
    fs.writeFileSync(path.join(dir, 'bridge.lock'), `1\n00000000-0000-0000-0000-000000000000\n`)
    const release = acquireLock(dir)
    expect(fs.readFileSync(path.join(dir, 'bridge.lock'), 'utf8')).toBe(`${process.pid}\n${thisBoot}\n`)
    release()
    expect(fs.existsSync(path.join(dir, 'bridge.lock'))).toBe(false)
})

test('a lock of a live process in this boot (or an old one-line lock) still wins', () => {
    for (const content of [`1\n${thisBoot}\n`, '1']) {
        const dir = tempDir('lock-')
        fs.writeFileSync(path.join(dir, 'bridge.lock'), content)
        expect(() => acquireLock(dir)).toThrow(LockBusyError)
    }
})
