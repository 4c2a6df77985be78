// Prints the plain closing line CI reads, and adds the counts to $TEST_SUMMARY_FILE when set
// (tests/run-all.sh sums the suites into one line). The names of failed tests go to
// $TEST_FAILURES_FILE when set, so that the end of a long CI log says what failed.
const fs = require('fs')
const path = require('path')
module.exports = class SummaryReporter {
    onRunComplete(_contexts, r) {
        const skipped = r.numPendingTests + r.numTodoTests
        process.stdout.write(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`)
        if (process.env.TEST_SUMMARY_FILE) {
            fs.appendFileSync(process.env.TEST_SUMMARY_FILE, `${r.numPassedTests} ${r.numFailedTests} ${skipped}\n`)
        }
        if (process.env.TEST_FAILURES_FILE) {
            const lines = []
            for (const file of r.testResults) {
                const where = path.relative(process.cwd(), file.testFilePath)
                // A file that fails to load has no assertion results, only a message.
                if (file.testExecError) lines.push(`${where}: ${String(file.testExecError.message).split('\n')[0]}`)
                for (const t of file.testResults) {
                    if (t.status === 'failed') lines.push(`${where}: ${t.fullName} — ${String(t.failureMessages[0] ?? '').split('\n')[0].slice(0, 300)}`)
                }
            }
            if (lines.length) fs.appendFileSync(process.env.TEST_FAILURES_FILE, lines.map((l) => `✖ ${l}\n`).join(''))
        }
    }
}
