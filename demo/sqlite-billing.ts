/**
 * The demo from a cashier system's SQLite billing database instead of a CSV export.
 *
 *   npm run build:bridge && node dist/demo/sqlite-billing.js [--months 6] [--lang en] [--port 0] [--serve]
 *
 * 1. Builds `.demo-sqlite/caisse.sqlite` the way a cashier program keeps it (structures, recus,
 *    lignes, French spellings, amounts as integers, dates as text) from the demo generator's
 *    synthetic ledger (the same five Malian facilities, the same deliberately bad rows).
 * 2. Writes `.demo-sqlite/revenue-bridge.yaml`: one `type: sql` source, driver sqlite, read-only,
 *    a query that renames the columns to the canonical ones, paged by `updated_at`.
 * 3. Starts the DHIS2 stand-in and runs the real CLI: `config check`, `setup`, `sync`; then
 *    changes a few rows in the database (a status confirmed the next day, a new receipt) and
 *    runs `sync` again — only what changed since the committed cursor is read.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DateTime } from 'luxon'
import { parseAmount } from '../bridge/ledger/numbers'
import { seedTokenFor, startStandin } from '../standin'
import { DEMO_FACILITIES, generateDemoLedger } from './generate-ledger'

const REPO = path.resolve(__dirname, '..', '..')
const CLI = path.join(REPO, 'dist', 'bridge', 'cli', 'main.js')

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name)
    return i >= 0 ? process.argv[i + 1] : undefined
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'inherit' })
        child.on('error', reject)
        child.on('exit', (code) => resolve(code ?? 1))
    })
}

const SCHEMA = `
CREATE TABLE structures (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, nom TEXT NOT NULL);
CREATE TABLE recus (
    id INTEGER PRIMARY KEY,
    numero TEXT NOT NULL,
    structure_id INTEGER NOT NULL REFERENCES structures(id),
    paye_le TEXT NOT NULL,
    telephone_payeur TEXT,
    patient TEXT
);
CREATE TABLE lignes (
    id INTEGER PRIMARY KEY,
    recu_id INTEGER NOT NULL REFERENCES recus(id),
    rang INTEGER NOT NULL,
    prestation TEXT NOT NULL,
    mode_paiement TEXT NOT NULL,
    montant INTEGER NOT NULL,
    sens TEXT NOT NULL DEFAULT 'PAYMENT',
    statut TEXT NOT NULL DEFAULT 'SUCCESS',
    produit_code TEXT, produit_nom TEXT, quantite REAL, unite TEXT,
    modifie_le TEXT NOT NULL,
    UNIQUE (recu_id, rang)
);
CREATE INDEX lignes_modifie ON lignes (modifie_le);
`

/** The query a hospital would write against this schema: canonical names, no ORDER BY. */
const QUERY = `SELECT r.numero AS transaction_id, l.rang AS line_no, r.paye_le AS occurred_at,
       l.modifie_le AS updated_at, s.code AS facility_code, l.mode_paiement AS channel,
       l.prestation AS service, l.montant AS amount_xof, l.sens AS type, l.statut AS status,
       l.produit_code AS product_code, l.produit_nom AS product_name, l.quantite AS quantity,
       l.unite AS unit, r.telephone_payeur AS payer_msisdn
FROM lignes l JOIN recus r ON r.id = l.recu_id JOIN structures s ON s.id = r.structure_id`

/** Fills the billing database from the synthetic ledger: one row per receipt line, its latest version. */
export function buildBillingDb(file: string, opts: { seed: number; endDate: string; months: number }): { receipts: number; lines: number } {
    fs.rmSync(file, { force: true })
    const db = new Database(file)
    db.exec(SCHEMA)
    const structure = db.prepare('INSERT INTO structures (code, nom) VALUES (?, ?)')
    const ids = new Map<string, number>()
    for (const f of DEMO_FACILITIES) ids.set(f.code, Number(structure.run(f.code, f.name).lastInsertRowid))
    const ledger = generateDemoLedger(opts)
    const receipt = db.prepare('INSERT INTO recus (numero, structure_id, paye_le, telephone_payeur, patient) VALUES (?, ?, ?, ?, ?)')
    // A line seen again (status confirmed later) replaces the earlier one, as in the cashier's database.
    const line = db.prepare(`INSERT INTO lignes (recu_id, rang, prestation, mode_paiement, montant, sens, statut, produit_code, produit_nom, quantite, unite, modifie_le)
        VALUES (@recu, @rang, @prestation, @mode, @montant, @sens, @statut, @pc, @pn, @q, @u, @modifie)
        ON CONFLICT (recu_id, rang) DO UPDATE SET statut = excluded.statut, modifie_le = excluded.modifie_le, montant = excluded.montant`)
    const receipts = new Map<string, number>()
    let lines = 0
    db.transaction(() => {
        for (const r of ledger.rows) {
            let structureId = ids.get(r.facility_code)
            if (structureId === undefined) {
                structureId = Number(structure.run(r.facility_code, r.facility_code).lastInsertRowid)
                ids.set(r.facility_code, structureId)
            }
            const key = `${r.transaction_id}|${r.facility_code}`
            let recu = receipts.get(key)
            if (recu === undefined) {
                recu = Number(receipt.run(r.transaction_id, structureId, r.occurred_at, r.payer_msisdn || null, r.patient_id || null).lastInsertRowid)
                receipts.set(key, recu)
            }
            // Amounts are integers in a billing database; the demo's bad amounts stay as typed (SQLite keeps text).
            const amount = parseAmount(r.amount_xof)
            line.run({
                recu,
                rang: Number(r.line_no) || 1,
                prestation: r.service,
                mode: r.channel,
                montant: amount.ok ? amount.value : r.amount_xof,
                sens: r.type || 'PAYMENT',
                statut: r.status || 'SUCCESS',
                pc: r.product_code || null,
                pn: r.product_name || null,
                q: r.quantity === '' || r.quantity === undefined ? null : Number(r.quantity.replace(',', '.')),
                u: r.unit || null,
                modifie: r.updated_at || r.occurred_at,
            })
            lines++
        }
    })()
    db.close()
    return { receipts: receipts.size, lines }
}

export function demoConfigYaml(dbFile: string, stateDir: string): string {
    const indented = QUERY.split('\n')
        .map((l) => `        ${l}`)
        .join('\n')
    return `# Demo: the bridge reads a cashier program's SQLite database (read-only).
facilities:
${DEMO_FACILITIES.map((f) => `  - code: ${f.code}`).join('\n')}
stateDir: ${JSON.stringify(stateDir)}
ledger:
  sources:
    - type: sql
      name: caisse-sqlite
      driver: sqlite
      file: ${JSON.stringify(dbFile)}
      query: |
${indented}
      cursor: { column: updated_at }
      pageSize: 2000
`
}

async function main(): Promise<void> {
    const serve = process.argv.includes('--serve')
    const lang = arg('--lang') ?? 'fr'
    const months = Number(arg('--months') ?? 6)
    const port = Number(arg('--port') ?? 0)
    const version = '2.41.3'
    const workDir = path.join(REPO, '.demo-sqlite')
    fs.rmSync(workDir, { recursive: true, force: true })
    fs.mkdirSync(workDir, { recursive: true })

    const endDate = DateTime.now().setZone('Africa/Bamako').minus({ days: 1 }).toISODate()!
    const dbFile = path.join(workDir, 'caisse.sqlite')
    const built = buildBillingDb(dbFile, { seed: 42, endDate, months })
    process.stdout.write(`Base de facturation / billing database: ${path.relative(REPO, dbFile)} — ${built.receipts} reçus / receipts, ${built.lines} lignes / lines\n`)
    const config = path.join(workDir, 'revenue-bridge.yaml')
    fs.writeFileSync(config, demoConfigYaml(dbFile, path.join(workDir, 'state')))

    const standin = await startStandin({ port, version, autoLoginUser: 'admin' })
    process.stdout.write(`DHIS2 stand-in ${version}: ${standin.url}\n`)
    const env = { ...process.env, DHIS2_BASE_URL: standin.url, DHIS2_TOKEN: seedTokenFor(version), DHIS2_USERNAME: '', DHIS2_PASSWORD: '', BRIDGE_STATE_DIR: path.join(workDir, 'state') }
    const rel = path.relative(REPO, config)
    const step = async (args: string[]) => {
        process.stdout.write(`\n$ revenue-bridge ${args.join(' ')}\n`)
        return runCli([...args, '--lang', lang], env)
    }
    const setupCode = await step(['setup', '--config', rel])
    const checkCode = await step(['config', 'check', '--config', rel])
    const syncCode = await step(['sync', '--config', rel])

    // The next day in the cashier's database: pending mobile payments confirmed, one new receipt.
    const db = new Database(dbFile)
    const later = `${endDate}T23:30:00`
    const confirmed = db.prepare(`UPDATE lignes SET statut = 'SUCCESS', modifie_le = ? WHERE statut = 'PENDING'`).run(later).changes
    const hdb = (db.prepare('SELECT id FROM structures WHERE code = ?').get('ML-BKO-HDB') as { id: number }).id
    const recu = Number(db.prepare('INSERT INTO recus (numero, structure_id, paye_le) VALUES (?, ?, ?)').run(`HD-DEMO-${endDate}`, hdb, `${endDate}T23:10:00`).lastInsertRowid)
    db.prepare(`INSERT INTO lignes (recu_id, rang, prestation, mode_paiement, montant, modifie_le) VALUES (?, 1, 'Consultation', 'Orange Money', 5000, ?)`).run(recu, later)
    db.close()
    process.stdout.write(`\n${confirmed} ligne(s) confirmée(s) et 1 nouveau reçu dans la base / ${confirmed} line(s) confirmed and 1 new receipt in the database\n`)
    const again = await step(['sync', '--config', rel])

    const ok = setupCode === 0 && [0, 3].includes(checkCode) && [0, 3].includes(syncCode) && [0, 3].includes(again)
    process.stdout.write(`\n${ok ? 'Démo terminée / Demo finished' : 'Démo en échec / Demo failed'} (setup=${setupCode}, check=${checkCode}, sync=${syncCode}, sync=${again}).\n`)
    if (serve && ok) {
        process.stdout.write('Ctrl-C pour arrêter / Ctrl-C to stop.\n')
        const stop = () => standin.close().then(() => process.exit(0))
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
        return
    }
    await standin.close()
    process.exit(ok ? 0 : 1)
}

if (require.main === module) {
    main().catch((e) => {
        process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
        process.exit(1)
    })
}
