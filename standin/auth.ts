/**
 * Authentication (reference §1): Basic, `ApiToken` (scheme case-insensitive; `Bearer` is not a
 * DHIS2 scheme and counts as no credentials), the JSESSIONID session, the optional auto-login user
 * for browser demos; 401 JSON / 302 to the login page for anonymous requests; PAT errors per
 * version; 403 for missing authorities.
 */
import crypto from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { formatLocal } from './clock'
import { HttpError, type WebMessage, baseUrl, sendJson, sendWebMessage, webMessage } from './http'
import { TOKEN_CHARS, checksumValid, mintFor } from './pat'
import type { StandinState, TokenRecord, UserRecord } from './state'
import { generateUid } from './uid'

export interface AuthOptions {
    autoLoginUser?: string
}

type Outcome = { user: UserRecord; via: 'basic' | 'token' | 'session' | 'auto' } | { fail: WebMessage; headers?: Record<string, string> } | { anonymous: true }

function cookie(req: Request, name: string): string | undefined {
    const header = req.headers.cookie
    if (!header) return undefined
    for (const part of header.split(';')) {
        const [k, ...v] = part.trim().split('=')
        if (k === name) return v.join('=')
    }
    return undefined
}

function clientIp(req: Request): string {
    return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
}

function tokenFailure(state: StandinState, code: 401 | 400, message: string): Outcome {
    return { fail: webMessage(code, 'ERROR', message, { errorCode: null }), headers: code === 401 ? { 'WWW-Authenticate': 'ApiToken' } : undefined }
}

function checkToken(req: Request, state: StandinState, token: string): Outcome {
    const modern = state.version.modernJobs
    if (!TOKEN_CHARS.test(token)) return tokenFailure(state, modern ? 400 : 401, 'Api token is malformed')
    if (modern && !checksumValid(token)) return tokenFailure(state, 400, 'Checksum validation failed')
    const record = state.tokens.get(token)
    if (!record) return tokenFailure(state, 401, modern ? 'The API token does not exists' : 'The API token does not exists.')
    if (record.expire !== undefined && record.expire < Date.now()) return tokenFailure(state, 401, 'Failed to authenticate API token, token has expired.')
    const user = state.users.find((u) => u.id === record.userId)
    if (!user || user.disabled) return tokenFailure(state, 401, 'The API token is disabled, locked or 2FA is enabled.')
    for (const a of record.attributes) {
        if (a.type === 'IpAllowedList' && a.allowedIps?.length && !a.allowedIps.includes(clientIp(req)))
            return tokenFailure(state, 401, 'Failed to authenticate API token, request ip address is not allowed.')
        if (a.type === 'MethodAllowedList' && a.allowedMethods?.length && !a.allowedMethods.map((m) => m.toUpperCase()).includes(req.method))
            return tokenFailure(state, 401, 'Failed to authenticate API token, request http method is not allowed.')
        if (a.type === 'RefererAllowedList' && a.allowedReferrers?.length && !a.allowedReferrers.includes(String(req.headers.referer ?? '')))
            return tokenFailure(state, 401, 'Failed to authenticate API token, request http referrer is missing or not allowed.')
    }
    return { user, via: 'token' }
}

export function authenticate(req: Request, state: StandinState, opts: AuthOptions): Outcome {
    const header = String(req.headers.authorization ?? '').trim()
    const basic = /^basic\s+(.*)$/i.exec(header)
    if (basic) {
        const decoded = Buffer.from(basic[1].trim(), 'base64').toString('utf8')
        const sep = decoded.indexOf(':')
        const username = sep >= 0 ? decoded.slice(0, sep) : decoded
        const password = sep >= 0 ? decoded.slice(sep + 1) : ''
        const user = state.users.find((u) => u.username === username)
        if (!user || user.password !== password) return { fail: webMessage(401, 'ERROR', 'Unauthorized', { errorCode: null }) }
        if (user.disabled) return { fail: webMessage(401, 'ERROR', 'Account disabled', { errorCode: null }) }
        return { user, via: 'basic' }
    }
    const apiToken = /^apitoken\s+(.*)$/i.exec(header)
    if (apiToken) return checkToken(req, state, apiToken[1].trim())
    const sid = cookie(req, 'JSESSIONID')
    const sessionUser = sid ? state.users.find((u) => u.id === state.sessions.get(sid)) : undefined
    if (sessionUser) return { user: sessionUser, via: 'session' }
    if (opts.autoLoginUser) {
        const auto = state.users.find((u) => u.username === opts.autoLoginUser)
        if (auto) return { user: auto, via: 'auto' }
    }
    return { anonymous: true }
}

export function startSession(res: Response, state: StandinState, user: UserRecord): string {
    const sid = crypto.randomBytes(16).toString('hex').toUpperCase()
    state.sessions.set(sid, user.id)
    res.append('Set-Cookie', `JSESSIONID=${sid}; Path=/; HttpOnly; SameSite=Lax`)
    return sid
}

/** Guards /api/** (and the app): sets req.dhisUser or answers 401/302/400. */
export function authMiddleware(getState: () => StandinState, opts: AuthOptions) {
    return (req: Request, res: Response, next: NextFunction) => {
        const state = getState()
        const outcome = authenticate(req, state, opts)
        if ('user' in outcome) {
            req.dhisUser = outcome.user
            req.authVia = outcome.via
            // Basic authentication opens a session (clients may ignore the cookie).
            if (outcome.via === 'basic' && !state.sessions.has(cookie(req, 'JSESSIONID') ?? '')) startSession(res, state, outcome.user)
            return next()
        }
        if ('fail' in outcome) {
            for (const [k, v] of Object.entries(outcome.headers ?? {})) res.setHeader(k, v)
            return sendWebMessage(res, outcome.fail)
        }
        const xhr = String(req.headers['x-requested-with'] ?? '').toLowerCase() === 'xmlhttprequest'
        if (xhr) return sendWebMessage(res, webMessage(401, 'ERROR', 'Unauthorized', { errorCode: null }))
        res.redirect(302, `${baseUrl(req)}${state.version.loginPath}`)
    }
}

export function hasAuthority(user: UserRecord | undefined, ...authorities: string[]): boolean {
    if (!user) return false
    return user.authorities.includes('ALL') || authorities.some((a) => user.authorities.includes(a))
}

/** 403 "Access is denied" (2.42 names the authority); Spring's 403 carries no errorCode. */
export function requireAuthority(req: Request, state: StandinState, ...authorities: string[]): void {
    if (hasAuthority(req.dhisUser, ...authorities)) return
    const message = state.version.v42 ? `Access is denied, requires one Authority from [${authorities.join(', ')}]` : 'Access is denied'
    throw new HttpError(403, message, null)
}

export const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>DHIS 2 — Connexion</title></head>
<body><h1>DHIS 2</h1><form method="post" action="/dhis-web-commons-security/login.action">
<label>Nom d'utilisateur <input name="j_username"></label>
<label>Mot de passe <input name="j_password" type="password"></label>
<button type="submit">Se connecter</button></form></body></html>
`

/** Public routes: login page, JSON and form login, logout, login config. */
export function loginRoutes(app: import('express').Express, getState: () => StandinState) {
    const loginPage = (_req: Request, res: Response) => {
        res.status(200).type('text/html; charset=UTF-8').send(LOGIN_PAGE)
    }
    app.get(['/dhis-web-commons/security/login.action', '/dhis-web-login', '/dhis-web-login/', '/dhis-web-login/index.html'], loginPage)
    app.get('/api/loginConfig', (_req, res) => {
        const s = getState().systemSettings
        sendJson(res, 200, { applicationTitle: s.applicationTitle, applicationDescription: '', uiLocale: s.keyUiLocale, allowAccountRecovery: false, selfRegistrationEnabled: false, emailConfigured: false, apiVersion: getState().version.version })
    })
    app.post('/api/auth/login', (req, res) => {
        const state = getState()
        let body: Record<string, unknown> = {}
        try {
            body = JSON.parse(req.rawBody || '{}')
        } catch {
            /* empty */
        }
        const user = state.users.find((u) => u.username === body.username)
        if (!user || user.password !== body.password) return sendWebMessage(res, webMessage(401, 'ERROR', 'Bad credentials', { errorCode: null }))
        if (user.disabled) return sendJson(res, 200, { loginStatus: 'ACCOUNT_DISABLED' })
        startSession(res, state, user)
        sendJson(res, 200, { loginStatus: 'SUCCESS', redirectUrl: '/dhis-web-dashboard/' })
    })
    app.post('/dhis-web-commons-security/login.action', (req, res) => {
        const state = getState()
        const form = new URLSearchParams(req.rawBody ?? '')
        const user = state.users.find((u) => u.username === form.get('j_username'))
        if (!user || user.password !== form.get('j_password')) return res.redirect(302, `${baseUrl(req)}${state.version.loginPath}?error=true`)
        startSession(res, state, user)
        res.redirect(302, `${baseUrl(req)}/`)
    })
    const logout = (req: Request, res: Response) => {
        const sid = cookie(req, 'JSESSIONID')
        if (sid) getState().sessions.delete(sid)
        res.append('Set-Cookie', 'JSESSIONID=; Path=/; Max-Age=0')
        res.redirect(302, `${baseUrl(req)}${getState().version.loginPath}`)
    }
    app.get(['/dhis-web-commons-security/logout.action', '/api/auth/logout'], logout)
}

/** POST /api/apiToken (201 ApiTokenCreationResponse), GET list/one, DELETE. */
export function apiTokenRoutes(router: import('express').Router, getState: () => StandinState) {
    router.post('/apiToken', (req, res) => {
        const state = getState()
        let body: Record<string, unknown> = {}
        try {
            body = req.rawBody ? JSON.parse(req.rawBody) : {}
        } catch {
            throw new HttpError(400, 'Invalid JSON body', 'E1003')
        }
        if (state.version.modernJobs && body.type === 'PERSONAL_ACCESS_TOKEN')
            throw new HttpError(400, 'JSON parse error: Cannot deserialize value of type `org.hisp.dhis.security.apikey.ApiTokenType` from String "PERSONAL_ACCESS_TOKEN"', 'E1003')
        const key = mintFor(state.version.minor)
        const record: TokenRecord = {
            uid: generateUid(),
            key,
            userId: req.dhisUser!.id,
            expire: typeof body.expire === 'number' ? body.expire : undefined,
            attributes: Array.isArray(body.attributes) ? (body.attributes as TokenRecord['attributes']) : [],
            created: formatLocal(state.clock.now()),
        }
        state.tokens.set(key, record)
        res.setHeader('Location', `${baseUrl(req)}/api/apiToken/${record.uid}`)
        sendWebMessage(
            res,
            webMessage(201, 'OK', undefined, {
                response: { responseType: 'ApiTokenCreationResponse', uid: record.uid, klass: 'org.hisp.dhis.security.apikey.ApiToken', errorReports: [], key },
            })
        )
    })
    const view = (t: TokenRecord) => ({
        id: t.uid,
        created: t.created,
        lastUpdated: t.created,
        version: 1,
        type: t.key.startsWith('d2p_') ? 'PERSONAL_ACCESS_TOKEN_V2' : getState().version.modernJobs ? 'PERSONAL_ACCESS_TOKEN_V1' : 'PERSONAL_ACCESS_TOKEN',
        expire: t.expire,
        attributes: t.attributes,
        createdBy: { id: t.userId },
    })
    router.get('/apiToken', (req, res) => {
        const mine = [...getState().tokens.values()].filter((t) => t.userId === req.dhisUser!.id)
        sendJson(res, 200, { pager: { page: 1, total: mine.length, pageSize: 50, pageCount: 1 }, apiToken: mine.map(view) })
    })
    router.get('/apiToken/:uid', (req, res) => {
        const t = [...getState().tokens.values()].find((x) => x.uid === req.params.uid && x.userId === req.dhisUser!.id)
        if (!t) throw new HttpError(404, `ApiToken with id ${req.params.uid} could not be found.`, 'E1005')
        sendJson(res, 200, view(t))
    })
    router.delete('/apiToken/:uid', (req, res) => {
        const state = getState()
        const t = [...state.tokens.values()].find((x) => x.uid === req.params.uid && x.userId === req.dhisUser!.id)
        if (!t) throw new HttpError(404, `ApiToken with id ${req.params.uid} could not be found.`, 'E1005')
        state.tokens.delete(t.key)
        sendWebMessage(res, webMessage(200, 'OK', undefined, { response: { responseType: 'ObjectReport', uid: t.uid, klass: 'org.hisp.dhis.security.apikey.ApiToken', errorReports: [] } }))
    })
}
