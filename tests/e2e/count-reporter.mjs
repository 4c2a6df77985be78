/**
 * node:test reporter that writes the run's closing counts as JSON (from the runner's own summary
 * diagnostics: `pass N`, `fail N`, `cancelled N`, `skipped N`, `todo N`) and the names of failed tests.
 * Used by run.mjs.
 */
export default async function* countReporter(source) {
    const counts = { failedNames: [] }
    for await (const event of source) {
        // A failed test's name (not the suites around it, which fail with it) for run-all's closing list.
        if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
            const file = event.data.file ? event.data.file.split('/').slice(-1)[0] : ''
            counts.failedNames.push(`${file}: ${event.data.name}`)
        }
        if (event.type !== 'test:diagnostic') continue
        const m = /^(tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(String(event.data.message))
        if (m) counts[m[1]] = (counts[m[1]] ?? 0) + Number(m[2])
    }
    yield `${JSON.stringify(counts)}\n`
}
