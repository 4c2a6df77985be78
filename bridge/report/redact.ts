/**
 * The last line of defence for credentials: every secret the bridge loads (DHIS2 token or
 * password, and the Basic header made from it) is registered here, and whatever the CLI writes
 * to stdout or stderr — reports, logs, error messages, a crash — goes through `redact` first.
 * The sources of messages already keep secrets out (axios errors are reduced to their code);
 * this catches what a future change or an unexpected library error could let through.
 */
const secrets = new Set<string>()
const MASK = '[secret]'

/**
 * Values shorter than this are not masked: "a" would mangle every message, and placeholders such
 * as "unused" are not secrets. DHIS2 passwords have at least 8 characters, tokens far more.
 */
const MIN_LENGTH = 8

export function registerSecret(value: string | undefined | null): void {
    if (value && value.length >= MIN_LENGTH) secrets.add(value)
}

export function redact(text: string): string {
    let out = text
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK)
    // Whatever the value, an Authorization header is never printed.
    return out.replace(/(authorization["']?\s*[:=]\s*["']?)(?:ApiToken|Bearer|Basic)\s+[^\s"',}]+/gi, `$1${MASK}`)
}

let installed = false

/**
 * For the CLI process: stdout and stderr are redacted, and an uncaught error (which Node would
 * print with every property — an axios error holds its request headers) is printed as a
 * redacted one-line message with exit code 1.
 */
export function installOutputRedaction(): void {
    if (installed) return
    installed = true
    for (const stream of [process.stdout, process.stderr]) {
        const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
        stream.write = ((chunk: unknown, ...rest: unknown[]) => {
            const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : chunk
            return write(typeof text === 'string' ? redact(text) : text, ...rest)
        }) as typeof stream.write
    }
    const crash = (e: unknown) => {
        const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
        process.stderr.write(`Erreur inattendue / Unexpected error: ${message}\n`)
        process.exit(1)
    }
    process.on('uncaughtException', crash)
    process.on('unhandledRejection', crash)
}
