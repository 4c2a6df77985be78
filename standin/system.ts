/**
 * System endpoints (reference §2) and what the app shell asks at start-up (app-platform §5):
 * system/info, me (+authorization, dashboard), userSettings, systemSettings, getModules, ping,
 * periodTypes.
 */
import os from 'node:os'
import type { Express, Request, Response, Router } from 'express'
import { hasAuthority } from './auth'
import { durationText, formatLocal } from './clock'
import { HttpError, baseUrl, qList, qOne, sendJson, sendWebMessage, webMessage } from './http'
import { resolverFor, userObject } from './metadata/routes'
import type { StoredObject } from './metadata/store'
import { PERIOD_TYPES } from './periods'
import { STAR, parseFields, render, renderPlain } from './query/fields'
import type { StandinState, UserRecord } from './state'
import { uidFromSeed } from './uid'

export const APP_KEY = 'recettes-hospitalieres'

function fieldsOf(req: Request): string[] {
    return qList(req, 'fields').filter((f) => f.trim())
}

export function systemInfo(req: Request, state: StandinState, user: UserRecord): Record<string, unknown> {
    const base = baseUrl(req)
    const now = state.clock.now()
    const a = state.analytics
    const info: Record<string, unknown> = {
        contextPath: base,
        userAgent: String(req.headers['user-agent'] ?? ''),
        calendar: 'iso8601',
        dateFormat: 'yyyy-mm-dd',
        serverDate: formatLocal(now),
        serverTimeZoneId: 'Etc/UTC',
        serverTimeZoneDisplayName: 'Coordinated Universal Time',
        lastAnalyticsTableSuccess: a.lastSuccess ? formatLocal(a.lastSuccess) : undefined,
        intervalSinceLastAnalyticsTableSuccess: a.lastSuccess ? durationText(now.getTime() - a.lastSuccess.getTime()) : undefined,
        lastAnalyticsTableRuntime: a.lastRuntimeMs !== null ? durationText(a.lastRuntimeMs) : undefined,
        version: state.version.version,
        revision: 'a1b2c3d',
        buildTime: '2024-07-01T08:12:00.000',
        jasperReportsVersion: '6.20.1',
        environmentVariable: 'DHIS2_HOME',
        systemId: uidFromSeed('system-id'),
        systemName: 'DHIS 2',
        instanceBaseUrl: base,
        emailConfigured: false,
        redisEnabled: false,
        isMetadataVersionEnabled: false,
        isMetadataSyncEnabled: false,
        databaseInfo: { spatialSupport: true },
    }
    if (hasAuthority(user, 'ALL')) {
        Object.assign(info, {
            javaVersion: '17.0.12',
            javaVendor: 'Eclipse Adoptium',
            javaOpts: '-Xms1g -Xmx2g',
            osName: 'Linux',
            osArchitecture: 'amd64',
            osVersion: os.release(),
            externalDirectory: '/opt/dhis2',
            readOnlyMode: 'off',
            nodeId: 'standin',
            memoryInfo: 'Mem Total in JVM: 2048 Mb',
            cpuCores: os.cpus().length,
            databaseInfo: { name: 'dhis2', user: 'dhis', url: 'jdbc:postgresql:dhis2', databaseVersion: 'PostgreSQL 14', spatialSupport: true },
        })
    }
    return info
}

export function meObject(state: StandinState, u: UserRecord): StoredObject {
    const me: StoredObject = {
        ...userObject(state, u),
        authorities: [...u.authorities],
        settings: { keyUiLocale: u.settings.keyUiLocale ?? 'en', ...(u.settings.keyDbLocale ? { keyDbLocale: u.settings.keyDbLocale } : {}) },
        dataSets: state.metadata.all('dataSets').map((d) => d.id),
        programs: state.metadata.all('programs').map((p) => p.id),
    }
    if (!state.version.v42)
        me.userCredentials = {
            id: u.id,
            username: u.username,
            externalAuth: false,
            twoFA: false,
            disabled: !!u.disabled,
            userRoles: [{ id: `${u.id.slice(0, 10)}R` }],
        }
    return me
}

const USER_SETTING_DEFAULTS: Record<string, string> = {
    keyUiLocale: 'en',
    keyAnalysisDisplayProperty: 'name',
    keyMessageEmailNotification: 'false',
    keyMessageSmsNotification: 'false',
    keyStyle: 'light_blue/light_blue.css',
}

export function systemRoutes(router: Router, getState: () => StandinState, opts: { appDir?: string }): void {
    router.get('/system/info', (req, res) => {
        const state = getState()
        const info = systemInfo(req, state, req.dhisUser!)
        const f = fieldsOf(req)
        sendJson(res, 200, f.length ? renderPlain(JSON.parse(JSON.stringify(info)), parseFields(f)) : info)
    })
    router.get('/system/id', (_req, res) => sendJson(res, 200, { codes: [uidFromSeed(String(Math.random()))] }))

    router.get('/me', (req, res) => {
        const state = getState()
        const f = fieldsOf(req)
        sendJson(res, 200, render('users', meObject(state, req.dhisUser!), f.length ? parseFields(f) : STAR, resolverFor(req, state)))
    })
    router.get('/me/authorization', (req, res) => sendJson(res, 200, req.dhisUser!.authorities))
    router.get('/me/authorization/:auth', (req, res) => sendJson(res, 200, hasAuthority(req.dhisUser, String(req.params.auth))))
    router.get('/me/dashboard', (_req, res) => sendJson(res, 200, { unreadInterpretations: 0, unreadMessageConversations: 0 }))

    const userSettings = (u: UserRecord) => ({ ...USER_SETTING_DEFAULTS, ...u.settings })
    router.get('/userSettings', (req, res) => sendJson(res, 200, userSettings(req.dhisUser!)))
    router.get('/userSettings/:key', (req, res) => {
        const v = (userSettings(req.dhisUser!) as Record<string, string>)[String(req.params.key)]
        if (v === undefined) throw new HttpError(404, `User setting not found for key: ${req.params.key}`, 'E1005')
        res.status(200).type('text/plain').send(v)
    })
    router.post('/userSettings/:key', (req, res) => {
        const value = qOne(req, 'value') ?? (req.rawBody ?? '').trim()
        req.dhisUser!.settings[String(req.params.key)] = value
        sendWebMessage(res, webMessage(200, 'OK', 'User setting saved'))
    })

    router.get('/systemSettings', (_req, res) => sendJson(res, 200, getState().systemSettings))
    router.get('/systemSettings/:key', (req, res) => {
        const key = String(req.params.key)
        const v = getState().systemSettings[key]
        if (v === undefined) return sendJson(res, 200, {})
        if (String(req.headers.accept ?? '').includes('application/json') || !String(req.headers.accept ?? '').includes('text/plain')) return sendJson(res, 200, { [key]: v })
        res.status(200).type('text/plain').send(String(v))
    })
    const setSetting = (req: Request, res: Response) => {
        const state = getState()
        if (!hasAuthority(req.dhisUser, 'F_SYSTEM_SETTING')) throw new HttpError(403, state.version.v42 ? 'Access is denied, requires one Authority from [F_SYSTEM_SETTING]' : 'Access is denied', null)
        if (req.params.key) {
            const key = String(req.params.key)
            const value = qOne(req, 'value') ?? (req.rawBody ?? '').trim()
            state.systemSettings[key] = value
            return sendWebMessage(res, webMessage(200, 'OK', `System setting '${key}' set to value '${value}'.`))
        }
        let map: Record<string, unknown>
        try {
            map = JSON.parse(req.rawBody || '{}')
        } catch {
            throw new HttpError(400, 'Invalid JSON', 'E1003')
        }
        Object.assign(state.systemSettings, map)
        sendWebMessage(res, webMessage(200, 'OK', 'System settings imported'))
    }
    router.post('/systemSettings', setSetting)
    router.post('/systemSettings/:key', setSetting)

    router.get('/periodTypes', (_req, res) =>
        sendJson(res, 200, {
            periodTypes: PERIOD_TYPES.filter((t) => t !== 'FinancialSep' || getState().version.v42).map((name, i) => ({ name, frequencyOrder: i })),
        })
    )

    router.get('/apps', (req, res) =>
        sendJson(
            res,
            200,
            opts.appDir
                ? [{ key: APP_KEY, name: 'Recettes hospitalières', appType: 'APP', launchUrl: `${baseUrl(req)}/api/apps/${APP_KEY}/index.html`, folderName: APP_KEY, version: '0.1.0' }]
                : []
        )
    )
}

/** `/dhis-web-commons/menu/getModules.action` (behind authentication): `{"modules":[...]}`, never `{}`. */
export function modulesRoute(app: Express, opts: { appDir?: string }): (req: Request, res: Response) => void {
    return (req, res) => {
        const modules = opts.appDir
            ? [
                  {
                      name: APP_KEY,
                      namespace: APP_KEY,
                      defaultAction: `${baseUrl(req)}/api/apps/${APP_KEY}/index.html`,
                      displayName: 'Recettes hospitalières',
                      icon: `${baseUrl(req)}/api/apps/${APP_KEY}/dhis2-app-icon.png`,
                      description: 'Tableaux de bord des recettes hospitalières',
                  },
              ]
            : []
        void app
        sendJson(res, 200, { modules })
    }
}
