/**
 * Authentication matrix (reference §1, §13): Basic, sessions, anonymous XHR/non-XHR, PATs per
 * version, 403 authorities, the auto-login user.
 */
import { seedTokenFor } from '../../standin'
import { mintV1, mintV2 } from '../../standin/pat'
import { ADMIN, Api, BRIDGE, OFFICER, basic, start } from './helpers'

const UNAUTHORIZED = { httpStatus: 'Unauthorized', httpStatusCode: 401, status: 'ERROR', message: 'Unauthorized' }

describe.each([
    ['2.39.5', '/dhis-web-commons/security/login.action'],
    ['2.40.3', '/dhis-web-commons/security/login.action'],
    ['2.41.3', '/dhis-web-login'],
    ['2.42.1', '/dhis-web-login/'],
])('auth on %s', (version, loginPath) => {
    let api: Api
    let close: () => Promise<void>
    const minor = Number(version.split('.')[1])
    beforeAll(async () => {
        const s = await start({ version })
        api = s.api
        close = () => s.standin.close()
    })
    afterAll(() => close())

    test('Basic: valid → 200 with a JSESSIONID that works alone; wrong password → 401 JSON', async () => {
        const ok = await api.get('me?fields=username')
        expect(ok.status).toBe(200)
        expect(ok.body).toEqual({ username: 'admin' })
        const cookie = ok.headers.get('set-cookie')!
        expect(cookie).toMatch(/^JSESSIONID=[0-9A-F]+;/)
        const viaCookie = await api.as(null).get('me?fields=username', { Cookie: cookie.split(';')[0], 'X-Requested-With': 'XMLHttpRequest' })
        expect(viaCookie.body).toEqual({ username: 'admin' })
        const bad = await api.as(basic('admin', 'nope')).get('me')
        expect(bad.status).toBe(401)
        expect(bad.body).toEqual(UNAUTHORIZED)
    })

    test('anonymous: XHR → 401 JSON; otherwise 302 to the login page, which is a 200 HTML page', async () => {
        const xhr = await api.as(null).get('system/info', { 'X-Requested-With': 'XMLHttpRequest' })
        expect(xhr.status).toBe(401)
        expect(xhr.body).toEqual(UNAUTHORIZED)
        const plain = await api.as(null).get('system/info')
        expect(plain.status).toBe(302)
        const location = plain.headers.get('location')!
        expect(new URL(location).pathname).toBe(loginPath)
        const page = await fetch(location)
        expect(page.status).toBe(200)
        expect(page.headers.get('content-type')).toMatch(/text\/html/)
        // `Bearer` is not a DHIS2 scheme: no credentials.
        const bearer = await api.as(`Bearer ${seedTokenFor(version)}`).get('system/info')
        expect(bearer.status).toBe(302)
    })

    test('seeded PAT in the version format; scheme name is case-insensitive; no session from a token', async () => {
        const token = seedTokenFor(version)
        expect(token).toMatch(minor >= 41 ? /^d2p_[A-Za-z0-9]{50}$/ : /^d2pat_[A-Za-z0-9]{32}\d{10}$/)
        const res = await api.as(`apitoken ${token}`).get('me?fields=username')
        expect(res.status).toBe(200)
        expect(res.body.username).toBe('bridge')
        expect(res.headers.get('set-cookie')).toBeNull()
    })

    test('PAT errors per version', async () => {
        const malformed = await api.as('ApiToken d2p_not-a-token!').get('me')
        expect(malformed.status).toBe(minor >= 41 ? 400 : 401)
        expect(malformed.body.message).toBe('Api token is malformed')
        const good = seedTokenFor(version)
        const badChecksum = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`
        const bc = await api.as(`ApiToken ${badChecksum}`).get('me')
        if (minor >= 41) {
            expect(bc.status).toBe(400)
            expect(bc.body).toEqual({ httpStatus: 'Bad Request', httpStatusCode: 400, status: 'ERROR', message: 'Checksum validation failed' })
            const unknown = await api.as(`ApiToken ${mintV2()}`).get('me')
            expect(unknown.status).toBe(401)
            expect(unknown.body.message).toBe('The API token does not exists')
            expect(unknown.headers.get('www-authenticate')).toMatch(/^ApiToken/)
        } else {
            expect(bc.status).toBe(401)
            expect(bc.body.message).toBe('The API token does not exists.')
            expect(bc.headers.get('www-authenticate')).toMatch(/^ApiToken/)
            const unknown = await api.as(`ApiToken ${mintV1()}`).get('me')
            expect(unknown.body.message).toBe('The API token does not exists.')
        }
    })

    test('POST /api/apiToken mints a working token (201 ApiTokenCreationResponse); expiry and method constraints', async () => {
        const res = await api.as(BRIDGE).post('apiToken', {})
        expect(res.status).toBe(201)
        expect(res.body).toMatchObject({
            httpStatus: 'Created',
            httpStatusCode: 201,
            status: 'OK',
            response: { responseType: 'ApiTokenCreationResponse', klass: 'org.hisp.dhis.security.apikey.ApiToken', errorReports: [] },
        })
        const key = res.body.response.key
        expect(key.startsWith(minor >= 41 ? 'd2p_' : 'd2pat_')).toBe(true)
        expect((await api.as(`ApiToken ${key}`).get('me?fields=username')).body.username).toBe('bridge')

        const expired = (await api.post('apiToken', { expire: Date.now() - 1000 })).body.response.key
        const e = await api.as(`ApiToken ${expired}`).get('me')
        expect(e.status).toBe(401)
        expect(e.body.message).toBe('Failed to authenticate API token, token has expired.')

        const getOnly = (await api.post('apiToken', { attributes: [{ type: 'MethodAllowedList', allowedMethods: ['GET'] }] })).body.response.key
        expect((await api.as(`ApiToken ${getOnly}`).get('me')).status).toBe(200)
        const post = await api.as(`ApiToken ${getOnly}`).post('dataValueSets', {})
        expect(post.status).toBe(401)
        expect(post.body.message).toBe('Failed to authenticate API token, request http method is not allowed.')
    })

    test('403 for a missing authority; the 2.42 message names it', async () => {
        const res = await api.as(OFFICER).post('metadata', { dataElements: [] })
        expect(res.status).toBe(403)
        expect(res.body).toEqual({
            httpStatus: 'Forbidden',
            httpStatusCode: 403,
            status: 'ERROR',
            message: minor >= 42 ? 'Access is denied, requires one Authority from [F_METADATA_IMPORT]' : 'Access is denied',
        })
        expect((await api.as(BRIDGE).post('metadata', {})).status).toBe(200)
        expect((await api.as(BRIDGE).get('me/authorization/F_DATAVALUE_ADD')).body).toBe(true)
        expect((await api.as(OFFICER).get('me/authorization/F_DATAVALUE_ADD')).body).toBe(false)
        expect((await api.as(ADMIN).get('me/authorization/F_ANYTHING')).body).toBe(true)
    })

    test('/api/me: userCredentials up to 2.41, gone in 2.42; org units expand with fields', async () => {
        const me = await api.as(BRIDGE).get('me?fields=id,username,authorities,userCredentials,organisationUnits[code,level],dataViewOrganisationUnits[code]')
        expect(me.body.username).toBe('bridge')
        expect(me.body.organisationUnits).toEqual([{ code: 'ML', level: 1 }])
        expect(me.body.authorities).toEqual(expect.arrayContaining(['F_DATAVALUE_ADD', 'F_METADATA_IMPORT']))
        expect('userCredentials' in me.body).toBe(minor < 42)
        const officer = await api.as(OFFICER).get('me?fields=dataViewOrganisationUnits[code],settings')
        expect(officer.body).toEqual({ dataViewOrganisationUnits: [{ code: 'ML-BKO' }], settings: { keyUiLocale: 'fr' } })
    })
})

describe('2.41 after an upgrade from 2.40', () => {
    test('a V1 token minted by 2.40 (checksum over 32 bytes) fails the 2.41 checksum validation', async () => {
        const { standin, api } = await start({ version: '2.41.3' })
        try {
            const res = await api.as(`ApiToken ${seedTokenFor('2.40.3')}`).get('me')
            expect(res.status).toBe(400)
            expect(res.body.message).toBe('Checksum validation failed')
        } finally {
            await standin.close()
        }
    })
})

describe('browser sessions', () => {
    test('POST /api/auth/login sets JSESSIONID; the app then calls without Authorization', async () => {
        const { standin, api } = await start()
        try {
            const bad = await api.as(null).post('auth/login', { username: 'admin', password: 'x' })
            expect(bad.status).toBe(401)
            const login = await api.as(null).post('auth/login', { username: 'district-officer', password: 'District-2024!' })
            expect(login.status).toBe(200)
            expect(login.body.loginStatus).toBe('SUCCESS')
            const cookie = login.headers.get('set-cookie')!.split(';')[0]
            const me = await api.as(null).get('/api/41/me?fields=username', { Cookie: cookie, 'X-Requested-With': 'XMLHttpRequest' })
            expect(me.body.username).toBe('district-officer')
            // the recorded request log never keeps the password
            expect(JSON.stringify(standin.hooks.requests())).not.toContain('District-2024!')
        } finally {
            await standin.close()
        }
    })

    test('autoLoginUser: cookie-less requests act as that user; explicit bad credentials still fail', async () => {
        const { standin, api } = await start({ autoLoginUser: 'district-officer' })
        try {
            expect((await api.as(null).get('me?fields=username')).body.username).toBe('district-officer')
            expect((await api.as(basic('admin', 'x')).get('me')).status).toBe(401)
            expect((await api.as(ADMIN).get('me?fields=username')).body.username).toBe('admin')
        } finally {
            await standin.close()
        }
    })
})
