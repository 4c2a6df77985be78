import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { resolveConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { reconcileAfterSync } from './scheduled'

/** `schedule`: reconcile after each sync when statements are configured; a failure is logged, never thrown. */
test('after a sync: nothing without statements; with them, a one-line summary even when DHIS2 is down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-sched-'))
    const env = { DHIS2_BASE_URL: 'http://127.0.0.1:9', DHIS2_TOKEN: 'd2p_x', BRIDGE_STATE_DIR: path.join(dir, 'state') }
    const write = (config: object) => {
        const f = path.join(dir, 'bridge.json')
        fs.writeFileSync(f, JSON.stringify({ dhis2: { retries: 0, timeoutMs: 1000 }, ...config }))
        return f
    }
    const logs: Bilingual[] = []
    await reconcileAfterSync(resolveConfig(write({}), env), (m) => logs.push(m))
    expect(logs).toEqual([])

    const s = path.join(dir, 's.csv')
    fs.writeFileSync(s, 'reference,occurred_at,amount_xof,channel,facility_code\nA,2026-10-01T10:00,100,OM,F1\n')
    await reconcileAfterSync(resolveConfig(write({ reconciliation: { statements: [{ paths: [s] }] } }), env), (m) => logs.push(m))
    expect(logs.map((l) => l.en)).toEqual(['Reconciliation 2026-10: 1 payment discrepancy(ies), 0 cash discrepancy(ies), 0 value(s) sent, 5 waiting'])

    logs.length = 0
    await reconcileAfterSync(resolveConfig(write({ reconciliation: { statements: [{ paths: [path.join(dir, 'gone')] }] } }), env), (m) => logs.push(m))
    expect(logs.map((l) => l.en)).toEqual([expect.stringMatching(/^Reconciliation failed: .*gone/)])
    fs.rmSync(dir, { recursive: true, force: true })
})
