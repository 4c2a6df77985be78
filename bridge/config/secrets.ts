import fs from 'node:fs'
import path from 'node:path'
import type { Bilingual } from '../domain/line'
import { registerSecret } from '../report/redact'
import { BridgeError, EXIT } from '../errors'

/**
 * DHIS2 credentials and trust: from the environment (which wins) or from files named in the
 * configuration (`dhis2.tokenFile`, `dhis2.passwordFile`, `dhis2.caFile`). A secret's value is
 * never quoted in a message; a secret file readable by group or others is used with a warning.
 */
export interface SecretSettings {
    username?: string
    tokenFile?: string
    passwordFile?: string
    caFile?: string
}

export interface Dhis2CredentialsLike {
    kind: 'token' | 'basic'
    token?: string
    username?: string
    password?: string
}

export class SecretError extends BridgeError {
    constructor(reason: Bilingual) {
        super(reason, EXIT.CONFIG)
    }
}

/** Relative paths in a configuration file are read from the file's folder. */
function resolvePath(file: string, configFile: string | null): string {
    return path.resolve(configFile ? path.dirname(configFile) : process.cwd(), file)
}

function readFileFor(file: string, what: Bilingual): { text: string; mode: number } {
    try {
        const st = fs.statSync(file)
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' })
        return { text: fs.readFileSync(file, 'utf8'), mode: st.mode }
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'error'
        throw new SecretError({
            fr: `${what.fr} illisible « ${file} » (${code}) : vérifiez le chemin et les droits`,
            en: `Cannot read ${what.en} "${file}" (${code}): check the path and the permissions`,
        })
    }
}

/** Control characters would break the Authorization header (and hint at a wrong file). */
function checkSecret(value: string, source: string): string {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) {
        throw new SecretError({
            fr: `${source} contient un saut de ligne ou un caractère de contrôle : un seul jeton ou mot de passe est attendu, sur une ligne`,
            en: `${source} contains a line break or a control character: one token or password is expected, on one line`,
        })
    }
    return value
}

function readSecretFile(file: string, key: string, configFile: string | null, warnings: Bilingual[]): string {
    const full = resolvePath(file, configFile)
    const { text, mode } = readFileFor(full, { fr: `Fichier secret (${key})`, en: `secret file (${key})` })
    const value = checkSecret(text.replace(/^\uFEFF/, '').trim(), `dhis2.${key} « ${full} »`)
    if (!value) {
        throw new SecretError({ fr: `Le fichier secret ${key} « ${full} » est vide`, en: `The ${key} secret file "${full}" is empty` })
    }
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
        const octal = (mode & 0o777).toString(8).padStart(3, '0')
        warnings.push({
            fr: `Le fichier secret « ${full} » (dhis2.${key}) est lisible par d'autres utilisateurs (droits ${octal}) : restreignez-le au propriétaire (chmod 600)`,
            en: `The secret file "${full}" (dhis2.${key}) is readable by other users (mode ${octal}): restrict it to its owner (chmod 600)`,
        })
    }
    return value
}

export function resolveDhis2Credentials(
    settings: SecretSettings,
    configFile: string | null,
    env: NodeJS.ProcessEnv,
    warnings: Bilingual[]
): Dhis2CredentialsLike {
    const remember = (c: Dhis2CredentialsLike): Dhis2CredentialsLike => {
        if (c.token) registerSecret(c.token)
        if (c.password) {
            registerSecret(c.password)
            registerSecret(Buffer.from(`${c.username}:${c.password}`).toString('base64'))
        }
        return c
    }
    const token = env.DHIS2_TOKEN?.trim()
    if (token) return remember({ kind: 'token', token: checkSecret(token, 'DHIS2_TOKEN') })
    const username = env.DHIS2_USERNAME?.trim() || settings.username?.trim()
    const password = env.DHIS2_PASSWORD
    if (username && password) return remember({ kind: 'basic', username, password: checkSecret(password, 'DHIS2_PASSWORD') })
    if (settings.tokenFile) return remember({ kind: 'token', token: readSecretFile(settings.tokenFile, 'tokenFile', configFile, warnings) })
    if (settings.passwordFile) {
        if (!username) {
            throw new SecretError({
                fr: 'dhis2.passwordFile est défini mais pas le nom d’utilisateur : définissez DHIS2_USERNAME ou dhis2.username',
                en: 'dhis2.passwordFile is set but not the user name: set DHIS2_USERNAME or dhis2.username',
            })
        }
        return remember({ kind: 'basic', username, password: readSecretFile(settings.passwordFile, 'passwordFile', configFile, warnings) })
    }
    throw new SecretError({
        fr: 'Identifiants DHIS2 absents : définissez DHIS2_TOKEN (jeton d’accès personnel) ou DHIS2_USERNAME et DHIS2_PASSWORD, ou dhis2.tokenFile / dhis2.passwordFile dans la configuration.',
        en: 'DHIS2 credentials missing: set DHIS2_TOKEN (personal access token) or DHIS2_USERNAME and DHIS2_PASSWORD, or dhis2.tokenFile / dhis2.passwordFile in the configuration.',
    })
}

/** The private CA bundle (PEM) that DHIS2's certificate chains to, added to the usual trust store. */
export function readCaBundle(file: string | undefined, configFile: string | null): string | undefined {
    if (!file) return undefined
    const full = resolvePath(file, configFile)
    const { text } = readFileFor(full, { fr: 'Certificat d’autorité (dhis2.caFile)', en: 'CA bundle (dhis2.caFile)' })
    if (!/-----BEGIN CERTIFICATE-----/.test(text)) {
        throw new SecretError({
            fr: `dhis2.caFile « ${full} » ne contient aucun certificat PEM (-----BEGIN CERTIFICATE-----)`,
            en: `dhis2.caFile "${full}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
        })
    }
    return text
}

/** A URL as it may be printed: user name and password replaced. */
export function redactUrl(url: string): string {
    return url.replace(/(\/\/)[^/@\s]*@/, '$1***@')
}

/** Credentials belong in DHIS2_TOKEN or DHIS2_USERNAME/PASSWORD, never in the address (it is printed in every report). */
export function checkNoUserInfo(u: URL, raw: string): void {
    if (u.username || u.password) {
        throw new SecretError({
            fr: `DHIS2_BASE_URL « ${redactUrl(raw)} » contient des identifiants : retirez « utilisateur:mot de passe@ » et utilisez DHIS2_TOKEN ou DHIS2_USERNAME et DHIS2_PASSWORD`,
            en: `DHIS2_BASE_URL "${redactUrl(raw)}" carries credentials: remove "user:password@" and use DHIS2_TOKEN or DHIS2_USERNAME and DHIS2_PASSWORD`,
        })
    }
}
