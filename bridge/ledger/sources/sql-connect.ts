import { defaultSecretEnv, type SqlConnectionConfig } from '../../config/sources'
import type { Bilingual } from '../../domain/line'
import { registerSecret } from '../../report/redact'
import { LedgerSourceError, sourceError } from './errors'
import { mysqlDriver, pgDriver, sqliteDriver, type Driver } from './sql-drivers'

/**
 * Opening a database and explaining its failures, shared by the ledger's SQL sources (sql.ts)
 * and the statements' (bridge/reconcile/sql-statements.ts): secrets come from the environment
 * and are registered for redaction; errors name the variable that holds them, never the value.
 */

/** The variable a message names when the password is refused. */
export function secretEnvOf(cfg: Pick<SqlConnectionConfig, 'name' | 'urlEnv' | 'passwordEnv'>): string {
    return cfg.urlEnv ?? cfg.passwordEnv ?? defaultSecretEnv(cfg.name, 'PASSWORD')
}

/** The driver of a source, its secrets read from `env` (not connected yet). */
export function openSqlDriver(cfg: SqlConnectionConfig, env: NodeJS.ProcessEnv): Driver {
    let url: string | undefined
    if (cfg.urlEnv) {
        url = env[cfg.urlEnv]
        if (!url) throw sourceError(cfg.name, `la variable d'environnement ${cfg.urlEnv} (urlEnv) n'est pas définie`, `the environment variable ${cfg.urlEnv} (urlEnv) is not set`)
    }
    const pwEnv = cfg.passwordEnv ?? defaultSecretEnv(cfg.name, 'PASSWORD')
    const password = env[pwEnv]
    // Whatever the CLI prints goes through report/redact: these never show.
    registerSecret(password)
    if (url) {
        registerSecret(url)
        try {
            registerSecret(decodeURIComponent(new URL(url).password))
        } catch {
            /* not a URL: its text is registered whole */
        }
    }
    if (cfg.passwordEnv && password === undefined && !url && cfg.driver !== 'sqlite') {
        throw sourceError(cfg.name, `la variable d'environnement ${cfg.passwordEnv} (passwordEnv) n'est pas définie`, `the environment variable ${cfg.passwordEnv} (passwordEnv) is not set`)
    }
    if (cfg.driver === 'postgres') return pgDriver(cfg, password, url)
    if (cfg.driver === 'mysql') return mysqlDriver(cfg, password, url)
    return sqliteDriver(cfg)
}

/** A driver error → what to check, naming the variable that holds the password (never its value). */
export function describeDbError(e: unknown, name: string, driver: Driver, cfg: SqlConnectionConfig, secretEnv: string, slowHint: Bilingual): LedgerSourceError {
    if (e instanceof LedgerSourceError) return e
    const err = e as { code?: string | number; errno?: number; message?: string }
    const code = String(err.code ?? '')
    const errno = err.errno ?? 0
    const msg = String(err.message ?? e).replace(/\s+/g, ' ').slice(0, 300)
    const where = driver.label
    if (code === '28P01' || code === '28000' || errno === 1045 || code === 'ER_ACCESS_DENIED_ERROR') {
        return sourceError(
            name,
            `connexion refusée par ${where} : utilisateur ou mot de passe incorrect. Vérifiez « user » et la variable d'environnement ${secretEnv} (le mot de passe ne s'écrit jamais dans la configuration)`,
            `connection refused by ${where}: wrong user or password. Check "user" and the environment variable ${secretEnv} (the password never goes in the configuration)`
        )
    }
    if (code === '3D000' || errno === 1049 || errno === 1044) {
        return sourceError(name, `base de données inconnue ou interdite sur ${where} : corrigez « database » (${msg})`, `unknown or forbidden database on ${where}: fix "database" (${msg})`)
    }
    if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code) || /connection timeout|timeout expired|connect ETIMEDOUT/i.test(msg)) {
        return sourceError(
            name,
            `serveur injoignable (${code || 'délai de connexion dépassé'}) : ${where}. Le serveur tourne-t-il ? « host » et « port » sont-ils justes ? Un pare-feu bloque-t-il ? (connectTimeoutMs = ${cfg.connectTimeoutMs})`,
            `server unreachable (${code || 'connection time-out'}): ${where}. Is the server running? Are "host" and "port" right? Is a firewall in the way? (connectTimeoutMs = ${cfg.connectTimeoutMs})`
        )
    }
    if (code === '57014' || errno === 1969 || errno === 3024 || code === 'PROTOCOL_SEQUENCE_TIMEOUT' || /query read timeout|max_statement_time|maximum statement execution time/i.test(msg)) {
        return sourceError(
            name,
            `requête interrompue après ${cfg.statementTimeoutMs} ms (statementTimeoutMs) : ${slowHint.fr} ou augmentez statementTimeoutMs`,
            `query stopped after ${cfg.statementTimeoutMs} ms (statementTimeoutMs): ${slowHint.en} or raise statementTimeoutMs`
        )
    }
    if (code === '25006' || errno === 1792 || code === 'SQLITE_READONLY') {
        return sourceError(name, `la requête tente d'écrire alors que la connexion est en lecture seule : ${msg}`, `the query tries to write on a read-only connection: ${msg}`)
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB' || /unable to open database|directory does not exist|file is not a database/i.test(msg)) {
        return sourceError(name, `base SQLite illisible « ${cfg.file} » : ${msg} — corrigez « file »`, `cannot open SQLite database "${cfg.file}": ${msg} — fix "file"`)
    }
    return sourceError(name, `la requête a échoué sur ${where} : ${msg} — corrigez « query »`, `the query failed on ${where}: ${msg} — fix "query"`)
}

