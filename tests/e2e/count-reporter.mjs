/**
 * node:test reporter that writes the run's closing counts as JSON (from the runner's own summary
 * diagnostics: `pass N`, `fail N`, `cancelled N`, `skipped N`, `todo N`). Used by run.mjs.
 */
export default async function* countReporter(source) {
    const counts = {}
    for await (const event of source) {
        if (event.type !== 'test:diagnostic') continue
        const m = /^(tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(String(event.data.message))
        if (m) counts[m[1]] = (counts[m[1]] ?? 0) + Number(m[2])
    }
    yield `${JSON.stringify(counts)}\n`
}
