import fs from 'node:fs'
import path from 'node:path'
import { DEFAULT_TIME_ZONE } from '../domain/codes'
import type { Bilingual } from '../domain/line'
import { configSchema, type BridgeConfig } from './schema'

/** A configuration problem: exit code 2, message in both languages. */
export class ConfigError extends Error {
    constructor(readonly reason: Bilingual) {
        super(reason.en)
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
    let json: unknown
    try {
        json = JSON.parse(text)
    } catch (e) {
        throw new ConfigError({
            fr: `Configuration « ${file} » : JSON invalide (${(e as Error).message})`,
            en: `Configuration "${file}": invalid JSON (${(e as Error).message})`,
        })
    }
    const parsed = configSchema.safeParse(json)
    if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(racine/root)'}: ${i.message}`)
        throw new ConfigError({
            fr: `Configuration « ${file} » invalide :\n${lines.join('\n')}`,
            en: `Invalid configuration "${file}":\n${lines.join('\n')}`,
        })
    }
    return { config: parsed.data, configFile: path.resolve(file) }
}

function credentialsFromEnv(env: NodeJS.ProcessEnv): Dhis2Credentials {
    const token = env.DHIS2_TOKEN?.trim()
    if (token) return { kind: 'token', token }
    const username = env.DHIS2_USERNAME?.trim()
    const password = env.DHIS2_PASSWORD
    if (username && password) return { kind: 'basic', username, password }
    throw new ConfigError({
        fr: 'Identifiants DHIS2 absents : définissez DHIS2_TOKEN (jeton d’accès personnel) ou DHIS2_USERNAME et DHIS2_PASSWORD.',
        en: 'DHIS2 credentials missing: set DHIS2_TOKEN (personal access token) or DHIS2_USERNAME and DHIS2_PASSWORD.',
    })
}

export function resolveConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
    const { config, configFile } = readConfigFile(file)
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
        baseUrl = u.toString().replace(/\/+$/, '').replace(/\/api$/, '')
    } catch {
        throw new ConfigError({
            fr: `DHIS2_BASE_URL invalide « ${rawBase} » : attendu http(s)://hote[/chemin]`,
            en: `Invalid DHIS2_BASE_URL "${rawBase}": expected http(s)://host[/path]`,
        })
    }
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
        baseUrl,
        credentials: credentialsFromEnv(env),
        stateDir,
        defaultTimeZone,
        zoneFor: (code) => byCode.get(code)?.timeZone ?? defaultTimeZone,
        orgUnitRefFor: (code) => byCode.get(code)?.orgUnit ?? code,
    }
}

