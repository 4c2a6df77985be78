import fs from 'node:fs'
import type { DemoLedger } from './generate-ledger'
import { generateDemoRecon, writeDemoRecon } from './generate-recon'

/**
 * The demo's reconciliation inputs: statements and cash counts written under `dir` (planted list in
 * `dir`/planted.json) and the `reconciliation` block added to the demo configuration file.
 */
export function addDemoReconciliation(configFile: string, dir: string, ledger: DemoLedger, endDate: string): void {
    fs.mkdirSync(dir, { recursive: true })
    const block = writeDemoRecon(dir, generateDemoRecon(ledger, endDate))
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>
    config.reconciliation = { windowMinutes: 30, ...block }
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n')
}
