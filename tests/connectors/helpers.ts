import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ConfigError, parseConfigText, type LocalConfig } from '../../bridge/config/load'
import type { LedgerLine, QuarantineEntry } from '../../bridge/domain/line'
import { openLedgerSources, type LedgerSource, type OpenSourcesOptions } from '../../bridge/ledger/sources'
import type { NormaliseContext } from '../../bridge/ledger/normalise'
import { openState, type StateDb } from '../../bridge/state/db'

export const EXAMPLES = path.join(__dirname, 'examples')

export function tmpDir(prefix = 'conn-'): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** A configuration from YAML text, as the bridge reads it (validation included). */
export function configFromYaml(yaml: string): Pick<LocalConfig, 'config'> {
    return { config: parseConfigText(yaml, 'test.yaml') }
}

/**
 * The bilingual reason a configuration is refused for; the test fails if it is accepted or refused
 * otherwise. Configuration errors name the key (and its YAML line), the problem and the fix.
 */
export function configProblem(yaml: string): { fr: string; en: string } {
    try {
        parseConfigText(yaml, 'bridge.yaml')
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError)
        return (e as ConfigError).reason
    }
    throw new Error('accepted')
}

export const ctx: NormaliseContext = { zoneFor: () => 'Africa/Bamako' }

export interface Collected {
    lines: LedgerLine[]
    quarantine: QuarantineEntry[]
    /** Every item in order, as JSON (to check that no personal value leaks). */
    json: string
}

export async function collect(source: LedgerSource, c: NormaliseContext = ctx): Promise<Collected> {
    const lines: LedgerLine[] = []
    const quarantine: QuarantineEntry[] = []
    const all: unknown[] = []
    for await (const item of source.read(c)) {
        all.push(item)
        if (item.kind === 'line') lines.push(item.line)
        else quarantine.push(item.entry)
    }
    return { lines, quarantine, json: JSON.stringify(all) }
}

export async function readAll(sources: LedgerSource[], c: NormaliseContext = ctx): Promise<Collected> {
    const out: Collected = { lines: [], quarantine: [], json: '' }
    for (const s of sources) {
        const r = await collect(s, c)
        out.lines.push(...r.lines)
        out.quarantine.push(...r.quarantine)
        out.json += r.json
    }
    return out
}

export function stateDb(dir = tmpDir('state-')): StateDb {
    return openState(dir)
}

export async function open(yaml: string, db: StateDb = stateDb(), cli: string[] = [], opts: OpenSourcesOptions = {}): Promise<LedgerSource[]> {
    return openLedgerSources(configFromYaml(yaml), cli, db, opts)
}

/**
 * Whether a database server answers, asked synchronously (a child process) so that a suite can
 * decide between describe and describe.skip when it is defined.
 */
export function serverAnswers(kind: 'postgres' | 'mysql'): boolean {
    const script =
        kind === 'postgres'
            ? `const {Client}=require('pg');const c=new Client({host:'127.0.0.1',port:5432,user:'postgres',database:'test',connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))`
            : `require('mysql2/promise').createConnection({host:'127.0.0.1',port:3306,user:'root',database:'test',connectTimeout:3000}).then(c=>c.end()).then(()=>process.exit(0),()=>process.exit(1))`
    const r = spawnSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..', '..'), timeout: 10_000 })
    return r.status === 0
}

export const START_HINT = {
    postgres:
        'PostgreSQL does not answer on 127.0.0.1:5432 (user postgres, database test, trust auth) — start it: `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main start` (or run .ci/run, which installs and starts it)',
    mysql: 'MariaDB does not answer on 127.0.0.1:3306 (root without password, database test) — start it: `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd` (or run .ci/run, which installs and starts it)',
}

/**
 * describe for a suite that needs a server: skipped with the way to start it when the server
 * is down on a developer's machine; under CI (env CI set), a down server is a failure.
 */
export function describeWithServer(kind: 'postgres' | 'mysql', name: string, body: () => void): void {
    if (serverAnswers(kind)) return describe(name, body)
    if (process.env.CI) {
        describe(name, () => {
            test(`${kind} answers`, () => {
                throw new Error(`CI is set and ${START_HINT[kind]}`)
            })
        })
        return
    }
    describe.skip(`${name} — SKIPPED: ${START_HINT[kind]}`, body)
}

/**
 * The operator statements of tests/connectors/examples/ mapped by hand as *ledger* sources, for
 * the tests of the file, folder and XLSX machinery (the statement presets themselves are refused
 * under ledger.sources: a statement is never revenue, docs/reconciliation.md). JSON, so it drops
 * into YAML as `mapping: ${omLedgerMapping('F1')}`.
 */
const STATUS = { succès: 'SUCCESS', validé: 'SUCCESS', 'en attente': 'PENDING', échec: 'FAILED', expiré: 'EXPIRED', annulé: 'CANCELLED' }
export function omLedgerMapping(facility: string, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({
        columns: { Date: 'occurred_at', Heure: 'occurred_at_time', Référence: 'transaction_id', 'Type de transaction': 'type', 'Numéro client': 'payer_msisdn', 'Montant (FCFA)': 'amount_xof', Statut: 'status' },
        values: { type: { 'paiement marchand': 'PAYMENT', remboursement: 'REFUND' }, status: STATUS },
        defaults: { channel: 'ORANGE_MONEY', service: 'OTHER', facility_code: facility },
        dateFormats: ['dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm', 'dd/MM/yyyy'],
        negativeAmounts: 'refund',
        exclude: [{ column: 'type', pattern: '^(retrait|transfert|virement|frais|commission)' }],
        ...extra,
    })
}
export function cardLedgerMapping(terminals: Record<string, string>): string {
    return JSON.stringify({
        columns: { 'Date transaction': 'occurred_at', Heure: 'occurred_at_time', 'N° terminal': 'facility_code', 'Référence transaction': 'transaction_id', 'N° autorisation': 'operator_ref', 'Type opération': 'type', 'Montant brut': 'amount_xof' },
        values: { type: { achat: 'PAYMENT', annulation: 'REFUND' }, facility_code: terminals },
        defaults: { channel: 'CARD', service: 'OTHER', status: 'SUCCESS' },
        dateFormats: ['dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy'],
        negativeAmounts: 'refund',
        exclude: [{ column: 'type', pattern: '^(frais|commission)' }],
    })
}
