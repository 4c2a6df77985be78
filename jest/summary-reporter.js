// Prints the plain closing line CI reads, and adds the counts to $TEST_SUMMARY_FILE when set
// (tests/run-all.sh sums the suites into one line).
const fs = require('fs')
module.exports = class SummaryReporter {
    onRunComplete(_contexts, r) {
        const skipped = r.numPendingTests + r.numTodoTests
        process.stdout.write(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`)
        if (process.env.TEST_SUMMARY_FILE) {
            fs.appendFileSync(process.env.TEST_SUMMARY_FILE, `${r.numPassedTests} ${r.numFailedTests} ${skipped}\n`)
        }
    }
}
