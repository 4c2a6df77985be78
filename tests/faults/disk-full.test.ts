/**
 * The state's disk fills up during a sync (a real tmpfs of 1 MiB, as root): the run ends with the
 * known condition — exit 2, the state directory and the space to free named in both languages —
 * instead of « Erreur inattendue ». Once space is freed, the next run converges to the state of an
 * uninterrupted run: nothing is lost.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { cleanDemoLedger, ensureFreshBuild, expectSameAsUninterrupted, referenceState, setup, sync, tempDir, world, writeLedger, type World } from './helpers'

const canMount = (() => {
    if (process.getuid?.() !== 0) return false
    const probe = tempDir('tmpfs-probe-')
    const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0
    if (ok) spawnSync('umount', [probe])
    return ok
})()
// Mounting a tmpfs needs root (CI runs as root); elsewhere the test says why it is skipped.
const maybe = canMount ? test : test.skip
if (!canMount) process.stderr.write('disk-full test skipped: mounting a tmpfs needs root\n')

let w: World | null = null
let mountPoint: string | null = null
afterAll(async () => {
    if (mountPoint) spawnSync('umount', ['-l', mountPoint])
    await w?.close()
})

maybe('disk full during a sync: exit 2 naming the state directory and the space to free; after freeing space the next run converges', async () => {
    ensureFreshBuild()
    const ledger = writeLedger(tempDir('disk-full-ledger-'), 'export-2026-10.csv', cleanDemoLedger(3))
    const reference = await referenceState([[ledger]])
    w = await world()
    await setup(w, ledger)
    mountPoint = tempDir('disk-full-')
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]).status).toBe(0)
    const stateDir = path.join(mountPoint, 'state')

    const full = await sync(w, [ledger], { BRIDGE_STATE_DIR: stateDir, LANG: 'en_GB.UTF-8' })
    expect(full.code).toBe(2)
    const said = JSON.stringify(full.report)
    expect(said).not.toMatch(/Unexpected error|Erreur inattendue/)
    expect(said).toContain(`Disk full: the state in ${stateDir} cannot be written`)
    expect(said).toMatch(/Free at least 64\.0 MiB on that disk/)
    expect(said).toContain(`Disque plein : l'état ${stateDir} ne peut plus être écrit`)

    // Space freed (the tmpfs grows): the same command now goes through and DHIS2 holds the same as after an uninterrupted run.
    expect(spawnSync('mount', ['-o', 'remount,size=256m', mountPoint]).status).toBe(0)
    const after = await sync(w, [ledger], { BRIDGE_STATE_DIR: stateDir })
    expect(after.code).toBe(0)
    await expectSameAsUninterrupted(w.standin, reference)
    expect(fs.existsSync(path.join(stateDir, 'bridge.sqlite'))).toBe(true)
})
