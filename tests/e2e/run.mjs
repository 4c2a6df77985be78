/**
 * Runs the browser tests (tests/e2e/*.test.mjs) with `node --test`, then prints the closing line
 * `N passed, N failed, N skipped` and appends `N M S` to $TEST_SUMMARY_FILE when set (the
 * convention of jest/summary-reporter.js, summed by tests/run-all.sh). Exit code 1 if anything
 * failed. Needs `npm run build:bridge` and `npx d2-app-scripts build` first.
 *
 *   node tests/e2e/run.mjs [--test-name-pattern REGEX]
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const files = fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => path.join(here, f))
const countsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payrev-e2e-run-')), 'counts.json')
const started = Date.now()

const code = await new Promise((resolve) => {
    const child = spawn(
        process.execPath,
        [
            '--test',
            // One file, one browser: files would run in parallel processes otherwise.
            '--test-concurrency=1',
            '--test-reporter=spec',
            '--test-reporter-destination=stdout',
            `--test-reporter=${path.join(here, 'count-reporter.mjs')}`,
            `--test-reporter-destination=${countsFile}`,
            ...process.argv.slice(2),
            ...files,
        ],
        { stdio: 'inherit' }
    )
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)))
    child.on('error', () => resolve(1))
})

let counts = {}
try {
    counts = JSON.parse(fs.readFileSync(countsFile, 'utf8'))
} catch {
    // the runner died before reporting: counted as one failure below
}
fs.rmSync(path.dirname(countsFile), { recursive: true, force: true })
const passed = counts.pass ?? 0
let failed = (counts.fail ?? 0) + (counts.cancelled ?? 0)
const skipped = (counts.skipped ?? 0) + (counts.todo ?? 0)
if (code !== 0 && failed === 0) failed = 1
process.stdout.write(`\nbrowser tests: ${((Date.now() - started) / 1000).toFixed(1)} s\n${passed} passed, ${failed} failed, ${skipped} skipped\n`)
if (process.env.TEST_SUMMARY_FILE) fs.appendFileSync(process.env.TEST_SUMMARY_FILE, `${passed} ${failed} ${skipped}\n`)
if (process.env.TEST_FAILURES_FILE && counts.failedNames?.length) {
    fs.appendFileSync(process.env.TEST_FAILURES_FILE, counts.failedNames.map((n) => `✖ tests/e2e/${n}\n`).join(''))
}
process.exit(failed > 0 ? 1 : 0)
