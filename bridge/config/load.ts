import fs from 'node:fs'
import path from 'node:path'
import type * as Yaml from 'yaml'
import { DEFAULT_TIME_ZONE } from '../../contract/codes'
import type { Bilingual } from '../domain/line'
import { describeIssues, type Locate } from './errors'
import { configSchema, type BridgeConfig } from './schema'
import { checkNoUserInfo, readCaBundle, redactUrl, resolveDhis2Credentials, SecretError } from './secrets'
import { BridgeError, EXIT } from '../errors'

// Loaded with the first YAML file: most runs are configured by the environment, and the parser is
// ~70 modules to load at every start (the scheduler starts a sync every hour).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = () => require('yaml') as typeof Yaml

/** A configuration problem: exit code 2, message in both languages. */
export class ConfigError extends BridgeError {
    constructor(reason: Bilingual) {
        super(reason, EXIT.CONFIG)
    }
}

export interface Dhis2Credentials {
    kind: 'token' | 'basic'
    token?: string
    username?: string
    password?: string
}

/** What a command needs: the validated file plus what comes from the environment. */
export interface ResolvedConfig {
    config: BridgeConfig
    configFile: string | null
    baseUrl: string
    credentials: Dhis2Credentials
    stateDir: string
    defaultTimeZone: string
    zoneFor(facilityCode: string): string
    orgUnitRefFor(facilityCode: string): string
    /** PEM bundle of a private CA that DHIS2's certificate chains to (dhis2.caFile). */
    dhis2Ca?: string
    /** Problems worth a warning, not a stop (e.g. a secret file readable by others). */
    warnings?: Bilingual[]
}

/** JSON or YAML: by extension (.json, .yaml, .yml), else by the first character. */
function formatOf(file: string, text: string): 'json' | 'yaml' {
    const ext = path.extname(file).toLowerCase()
    if (ext === '.json') return 'json'
    if (ext === '.yaml' || ext === '.yml') return 'yaml'
    return /^\s*[{[]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'yaml'
}

/** Line of a key in a YAML document (the key itself when named, else its value, else its parent). */
function yamlLocator(doc: Yaml.Document, counter: Yaml.LineCounter): Locate {
    const { isMap, isPair, isScalar } = yaml()
    return (keyPath, key) => {
        const p = keyPath.map((k) => (typeof k === 'symbol' ? String(k) : k)) as Array<string | number>
        for (let n = p.length; n >= 0; n--) {
            const node = doc.getIn(p.slice(0, n), true) as unknown
            if (!node || typeof node !== 'object') continue
            if (n === p.length && key !== undefined && isMap(node)) {
                const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key)
                const range = pair && isScalar(pair.key) ? pair.key.range : undefined
                if (range) return counter.linePos(range[0]).line
            }
            // For a scalar value, point at the line of its key.
            const range = (node as { range?: [number, number, number] }).range
            if (range) return counter.linePos(range[0]).line
        }
        return null
    }
}

/** Reads and validates a configuration text (JSON or YAML); errors name the key, the problem and the fix. */
export function parseConfigText(text: string, file: string, format: 'json' | 'yaml' = formatOf(file, text)): BridgeConfig {
    let data: unknown
    let locate: Locate | undefined
    if (format === 'json') {
        try {
            data = JSON.parse(text.replace(/^\uFEFF/, ''))
        } catch (e) {
            throw new ConfigError({
                fr: `Configuration « ${file} » : JSON invalide (${(e as Error).message})`,
                en: `Configuration "${file}": invalid JSON (${(e as Error).message})`,
            })
        }
    } else {
        const { LineCounter, parseDocument } = yaml()
        const counter = new LineCounter()
        const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
        if (doc.errors.length) {
            const e = doc.errors[0]
            const pos = counter.linePos(e.pos[0])
            const msg = e.message.split('\n')[0]
            throw new ConfigError({
                fr: `Configuration « ${file} » : YAML invalide ligne ${pos.line}, colonne ${pos.col} (${msg}) — vérifiez l'indentation (des espaces, pas de tabulations) et les deux-points après chaque clé`,
                en: `Configuration "${file}": invalid YAML at line ${pos.line}, column ${pos.col} (${msg}) — check the indentation (spaces, no tabs) and the colon after each key`,
            })
        }
        data = doc.toJS({ maxAliasCount: 100 }) ?? {}
        locate = yamlLocator(doc, counter)
    }
    const parsed = configSchema.safeParse(data)
    if (!parsed.success) {
        const lines = describeIssues(parsed.error.issues, data, configSchema, locate)
        throw new ConfigError({
            fr: `Configuration « ${file} » invalide :\n${lines.fr.join('\n')}`,
            en: `Invalid configuration "${file}":\n${lines.en.join('\n')}`,
        })
    }
    return parsed.data
}

export function readConfigFile(file: string | undefined): { config: BridgeConfig; configFile: string | null } {
    if (!file) return { config: configSchema.parse({}), configFile: null }
    let text: string
    try {
        text = fs.readFileSync(file, 'utf8')
    } catch (e) {
        throw new ConfigError({
            fr: `Fichier de configuration illisible « ${file} » : ${(e as Error).message}`,
            en: `Cannot read configuration file "${file}": ${(e as Error).message}`,
        })
    }
    return { config: parseConfigText(text, file), configFile: path.resolve(file) }
}

/** The environment wins; then dhis2.tokenFile / dhis2.passwordFile (bridge/config/secrets.ts). */
function credentialsFromEnv(env: NodeJS.ProcessEnv, config?: BridgeConfig, configFile: string | null = null, warnings: Bilingual[] = []): Dhis2Credentials {
    try {
        return resolveDhis2Credentials(config?.dhis2 ?? {}, configFile, env, warnings)
    } catch (e) {
        throw e instanceof SecretError ? new ConfigError(e.reason) : e
    }
}

/** What the ledger sources need: everything but DHIS2 (config check works without DHIS2 settings). */
export type LocalConfig = Omit<ResolvedConfig, 'baseUrl' | 'credentials'>

function localPart(config: BridgeConfig, configFile: string | null, env: NodeJS.ProcessEnv): LocalConfig {
    const envZone = env.BRIDGE_TIME_ZONE?.trim()
    if (envZone) {
        try {
            new Intl.DateTimeFormat('en', { timeZone: envZone })
        } catch {
            throw new ConfigError({
                fr: `BRIDGE_TIME_ZONE invalide « ${envZone} » : attendu un fuseau IANA (ex. Africa/Bamako)`,
                en: `Invalid BRIDGE_TIME_ZONE "${envZone}": expected an IANA zone (e.g. Africa/Bamako)`,
            })
        }
    }
    const defaultTimeZone = config.timeZone ?? envZone ?? DEFAULT_TIME_ZONE
    const byCode = new Map(config.facilities.map((f) => [f.code, f]))
    const stateDir = path.resolve(env.BRIDGE_STATE_DIR?.trim() || config.stateDir || '.bridge-state')
    return {
        config,
        configFile,
        stateDir,
        defaultTimeZone,
        zoneFor: (code) => byCode.get(code)?.timeZone ?? defaultTimeZone,
        orgUnitRefFor: (code) => byCode.get(code)?.orgUnit ?? code,
    }
}

/** The configuration without the DHIS2 connection (used by `config check` to read sources even when DHIS2 is not set up). */
export function resolveLocalConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): LocalConfig {
    const { config, configFile } = readConfigFile(file)
    return localPart(config, configFile, env)
}

/** DHIS2 address, credentials and CA bundle, as resolveConfig finds them (used by `config check`). */
export function resolveDhis2(
    config: BridgeConfig,
    env: NodeJS.ProcessEnv = process.env,
    configFile: string | null = null
): { baseUrl: string; credentials: Dhis2Credentials; ca?: string; warnings: Bilingual[] } {
    const baseUrl = dhis2BaseUrl(config, env)
    const warnings: Bilingual[] = []
    const credentials = credentialsFromEnv(env, config, configFile, warnings)
    try {
        return { baseUrl, credentials, ca: readCaBundle(config.dhis2.caFile, configFile), warnings }
    } catch (e) {
        throw e instanceof SecretError ? new ConfigError(e.reason) : e
    }
}

function dhis2BaseUrl(config: BridgeConfig, env: NodeJS.ProcessEnv): string {
    const rawBase = env.DHIS2_BASE_URL?.trim() || config.dhis2.baseUrl
    if (!rawBase) {
        throw new ConfigError({
            fr: 'Adresse DHIS2 absente : définissez DHIS2_BASE_URL (ex. https://dhis2.sante.gov.ml ou https://hote/dhis).',
            en: 'DHIS2 address missing: set DHIS2_BASE_URL (e.g. https://dhis2.example.org or https://host/dhis).',
        })
    }
    let baseUrl: string
    try {
        const u = new URL(rawBase)
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol')
        checkNoUserInfo(u, rawBase)
        baseUrl = u.toString().replace(/\/+$/, '').replace(/\/api$/, '')
    } catch (e) {
        if (e instanceof SecretError) throw new ConfigError(e.reason)
        throw new ConfigError({
            fr: `DHIS2_BASE_URL invalide « ${redactUrl(rawBase)} » : attendu http(s)://hote[/chemin]`,
            en: `Invalid DHIS2_BASE_URL "${redactUrl(rawBase)}": expected http(s)://host[/path]`,
        })
    }
    return baseUrl
}

export function resolveConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
    const { config, configFile } = readConfigFile(file)
    // Checked in this order: address, time zone, credentials.
    const baseUrl = dhis2BaseUrl(config, env)
    const local = localPart(config, configFile, env)
    const warnings: Bilingual[] = []
    const credentials = credentialsFromEnv(env, config, configFile, warnings)
    let dhis2Ca: string | undefined
    try {
        dhis2Ca = readCaBundle(config.dhis2.caFile, configFile)
    } catch (e) {
        throw e instanceof SecretError ? new ConfigError(e.reason) : e
    }
    return { ...local, baseUrl, credentials, dhis2Ca, warnings }
}
