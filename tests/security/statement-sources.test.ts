/**
 * Statement sources on a database or an API (reconciliation.statements, type sql / http): their
 * password or token is read from the environment and never written anywhere — not in the
 * reconcile report (JSON and text, both languages), not in the scheduler's log lines, not in the
 * state directory — whether the secret is accepted or refused.
 */
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { resolveConfig } from '../../bridge/config/load'
import type { Bilingual } from '../../bridge/domain/line'
import { renderReconReport } from '../../bridge/reconcile/render'
import { runReconcile } from '../../bridge/reconcile/run'
import { reconcileAfterSync } from '../../bridge/reconcile/scheduled'
import { openState } from '../../bridge/state/db'
import { serverAnswers, START_HINT, tmpDir } from '../connectors/helpers'
import { leaks, secretForms, stateFiles } from './helpers'

const DB_PASSWORD = 'Stmt-Db-Pw-2024!'
const API_PASSWORD = 'Stmt-Api-Pw-2024!'
const WRONG = 'Wrong-Stmt-Secret-77'

let server: http.Server
let url: string
beforeAll(async () => {
    const good = `Basic ${Buffer.from(`releves:${API_PASSWORD}`).toString('base64')}`
    server = http.createServer((req, res) => {
        if (req.headers.authorization !== good) return void res.writeHead(401).end(`{"error":"bad credentials ${req.headers.authorization}"}`)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ reference: 'OM-1', occurred_at: '2026-10-10T10:00:00Z', amount_xof: 5000 }]))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releve`
})
afterAll(() => server.close())

const mariadb = serverAnswers('mysql')
if (!mariadb && process.env.CI) throw new Error(`CI is set and ${START_HINT.mysql}`)

function sources(): object[] {
    const api = { type: 'http', name: 'om-api', url, auth: { type: 'basic', username: 'releves', passwordEnv: 'STMT_API_PASSWORD' }, channel: 'ORANGE_MONEY', facility: 'F1', retries: 0 }
    // MariaDB's root has no password here: any password given is refused (1045).
    const db = { type: 'sql', name: 'om-db', driver: 'mysql', host: '127.0.0.1', database: 'test', user: 'root', passwordEnv: 'STMT_DB_PASSWORD', query: 'SELECT 1 AS reference FROM DUAL WHERE :from < :to', channel: 'ORANGE_MONEY', facility: 'F1' }
    return mariadb ? [api, db] : [api]
}

test.each([
    ['accepted', API_PASSWORD],
    ['refused', WRONG],
])('API password %s, database password refused: no secret in the report, the log or the state', async (_, apiPassword) => {
    const dir = tmpDir('sec-stmt-')
    const stateDir = path.join(dir, 'state')
    const config = path.join(dir, 'bridge.json')
    fs.writeFileSync(config, JSON.stringify({ dhis2: { retries: 0, timeoutMs: 1000 }, reconciliation: { statements: sources() } }))
    const env = { DHIS2_BASE_URL: 'http://127.0.0.1:9', DHIS2_TOKEN: 'd2p_x', BRIDGE_STATE_DIR: stateDir }
    // The scheduler's reconciliation reads the process's environment, as the service does.
    Object.assign(process.env, { STMT_API_PASSWORD: apiPassword, STMT_DB_PASSWORD: DB_PASSWORD })
    try {
        const rc = resolveConfig(config, env)
        const logs: Bilingual[] = []
        await reconcileAfterSync(rc, (m) => logs.push(m))
        const db = openState(stateDir)
        const r = await runReconcile(rc, db, { month: '2026-10', statements: [], cashCounts: [] }).finally(() => db.close())
        const report = { ...r.report, valuesSent: 0, valuesWaiting: 0, conflicts: [], warnings: [], exitCode: 0 }
        const reasons = r.report.quarantine.map((q) => q.reason.en)
        if (apiPassword === WRONG) expect(reasons).toContainEqual(expect.stringMatching(/om-api.*HTTP 401.*STMT_API_PASSWORD/))
        else expect(r.report.channels[0]).toMatchObject({ statementCount: 1 })
        if (mariadb) expect(reasons).toContainEqual(expect.stringMatching(/om-db.*wrong user or password.*STMT_DB_PASSWORD/))
        const places: Record<string, string | Buffer> = {
            'report JSON': JSON.stringify(report),
            'report fr': renderReconReport(report, 'fr'),
            'report en': renderReconReport(report, 'en'),
            log: JSON.stringify(logs),
        }
        for (const f of stateFiles(stateDir)) places[`state ${f.name}`] = f.bytes
        // The scheduler says which source could not be read, naming the variable only.
        if (mariadb) expect(logs.map((l) => l.en)).toContainEqual(expect.stringMatching(/om-db.*STMT_DB_PASSWORD/))
        if (apiPassword === WRONG) expect(logs.map((l) => l.en)).toContainEqual(expect.stringMatching(/om-api.*STMT_API_PASSWORD/))
        expect(leaks(places, [...secretForms(apiPassword, 'releves'), ...secretForms(DB_PASSWORD)])).toEqual([])
    } finally {
        delete process.env.STMT_API_PASSWORD
        delete process.env.STMT_DB_PASSWORD
        fs.rmSync(dir, { recursive: true, force: true })
    }
})
