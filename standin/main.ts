/**
 * CLI: node dist/standin/main.js [--port 8080] [--version 2.41.3] [--today 2026-11-23] [--app-dir build/app]
 *      [--async-delay-ms N] [--auto-login admin] [--no-fixtures] [--latency-ms N (or STANDIN_LATENCY_MS)] [--no-compression] [--no-app-cache]
 */
import { startStandin } from './index'
import { latencyFrom } from './link'

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name)
    return i >= 0 ? process.argv[i + 1] : undefined
}

async function main(): Promise<void> {
    const version = arg('--version') ?? process.env.STANDIN_VERSION ?? '2.41.3'
    const standin = await startStandin({
        port: Number(arg('--port') ?? process.env.PORT ?? 8080),
        host: arg('--host'),
        version,
        today: arg('--today'),
        appDir: arg('--app-dir'),
        asyncDelayMs: arg('--async-delay-ms') ? Number(arg('--async-delay-ms')) : undefined,
        autoLoginUser: arg('--auto-login'),
        seedFixtures: !process.argv.includes('--no-fixtures'),
        latencyMs: latencyFrom(arg('--latency-ms'), process.env.STANDIN_LATENCY_MS),
        compress: !process.argv.includes('--no-compression'),
        appCache: !process.argv.includes('--no-app-cache'),
    })
    process.stdout.write(`DHIS2 stand-in listening on ${standin.url} (version ${version})\n`)
    const stop = () => {
        standin.close().then(() => process.exit(0))
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
}

main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
})
