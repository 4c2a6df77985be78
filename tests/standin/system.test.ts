/**
 * What the app shell asks at start-up (app-platform §5), system/info, serving a built app with
 * session-friendly behaviour, CORS preflight.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Api, BRIDGE, OFFICER, start } from './helpers'

describe('app shell start-up requests (2.41)', () => {
    test('rows #1–#10 of the start-up table answer as the shell expects', async () => {
        const { standin, api } = await start({ version: '2.41.3' })
        try {
            const xhr = { 'X-Requested-With': 'XMLHttpRequest' }
            const o = api.as(OFFICER)
            const info = await o.get('system/info', xhr)
            expect(info.body.version).toBe('2.41.3')
            expect(info.body.serverDate).toMatch(/^2026-11-23T/)
            expect(info.body.javaVersion).toBeUndefined()
            expect((await api.get('system/info')).body.javaVersion).toBeDefined()
            const me = await o.get('me', xhr)
            expect(me.body).toMatchObject({ username: 'district-officer', name: 'Awa Traoré', displayName: 'Awa Traoré', authorities: expect.any(Array) })
            expect((await o.get('/api/41/userSettings', xhr)).body).toMatchObject({ keyUiLocale: 'fr' })
            expect((await api.get('/api/41/userSettings', xhr)).body.keyUiLocale).toBe('en')
            expect(Object.keys((await o.get('/api/41/me?fields=id', xhr)).body)).toEqual(['id'])
            expect((await o.get('/api/41/systemSettings/applicationTitle', xhr)).body).toEqual({ applicationTitle: expect.any(String) })
            expect((await o.get('/api/41/systemSettings/helpPageLink', xhr)).body).toEqual({ helpPageLink: expect.any(String) })
            const header = await o.get('/api/41/me?fields=authorities,avatar,email,name,settings', xhr)
            expect(Object.keys(header.body).sort()).toEqual(['authorities', 'name', 'settings'])
            expect((await o.get('/dhis-web-commons/menu/getModules.action', xhr)).body).toEqual({ modules: [] })
            expect((await o.get('/api/41/me/dashboard', xhr)).body).toEqual({ unreadInterpretations: 0, unreadMessageConversations: 0 })
            expect((await o.get('/api/41/staticContent/logo_banner', xhr)).status).toBe(404)
            const ping = await api.as(null).get('ping')
            expect(ping.status).toBe(200)
            expect(ping.text).toBe('pong')
        } finally {
            await standin.close()
        }
    })

    test('system/info fields filter; unknown /api path → 404 JSON; versions outside 28..42 → 404', async () => {
        const { standin, api } = await start({ version: '2.39.5' })
        try {
            expect((await api.get('system/info?fields=version,revision')).body).toEqual({ version: '2.39.5', revision: expect.any(String) })
            expect((await api.get('/api/40/system/info?fields=version')).body).toEqual({ version: '2.39.5' })
            expect((await api.get('noSuchEndpoint')).status).toBe(404)
            expect((await api.get('/api/99/system/info')).status).toBe(404)
            expect((await api.as(BRIDGE).get('periodTypes')).body.periodTypes.map((p: any) => p.name)).not.toContain('FinancialSep')
        } finally {
            await standin.close()
        }
    })
})

describe('serving a built app', () => {
    let dir: string
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-app-'))
        fs.writeFileSync(path.join(dir, 'index.html'), '<html><head><meta name="dhis2-base-url" content="__DHIS2_BASE_URL__"></head><body>app</body></html>')
        fs.mkdirSync(path.join(dir, 'assets'))
        fs.writeFileSync(path.join(dir, 'assets', 'main.js'), 'console.log(1)')
        fs.writeFileSync(path.join(dir, 'assets', 'style.css'), 'body{}')
    })

    test('index.html with the base URL filled in, static files with content types, behind authentication', async () => {
        const { standin, api } = await start({ appDir: dir })
        try {
            const anon = await api.as(null).get('/api/apps/recettes-hospitalieres/index.html')
            expect(anon.status).toBe(302)
            const index = await api.get('/api/apps/recettes-hospitalieres/')
            expect(index.status).toBe(200)
            expect(index.headers.get('content-type')).toMatch(/text\/html/)
            expect(index.text).toContain(`content="${standin.url}"`)
            const js = await api.get('/api/apps/recettes-hospitalieres/assets/main.js')
            expect(js.headers.get('content-type')).toMatch(/javascript/)
            expect((await api.get('/api/apps/recettes-hospitalieres/assets/style.css')).headers.get('content-type')).toMatch(/text\/css/)
            expect((await api.get('/api/apps/recettes-hospitalieres/../../../etc/passwd')).status).toBe(404)
            expect((await api.get('/dhis-web-commons/menu/getModules.action')).body.modules[0].name).toBe('recettes-hospitalieres')
        } finally {
            await standin.close()
        }
    })

    test('autoLoginUser: the browser needs no login step; CORS preflight answered for another origin', async () => {
        const { standin, api } = await start({ appDir: dir, autoLoginUser: 'admin' })
        try {
            const index = await api.as(null).get('/api/apps/recettes-hospitalieres/index.html')
            expect(index.status).toBe(200)
            const me = await api.as(null).get('/api/41/me?fields=username', { 'X-Requested-With': 'XMLHttpRequest' })
            expect(me.body.username).toBe('admin')
            const pre = await fetch(`${standin.url}/api/41/me`, {
                method: 'OPTIONS',
                headers: { Origin: 'http://127.0.0.1:3000', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,x-requested-with' },
            })
            expect(pre.status).toBe(204)
            expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000')
            expect(pre.headers.get('access-control-allow-credentials')).toBe('true')
        } finally {
            await standin.close()
        }
    })

    void Api
})
