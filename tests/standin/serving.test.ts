import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { IMMUTABLE, isHashedAsset } from '../../standin/app-shell'
import { ADMIN, start } from './helpers'

// The app served as a production DHIS2 behind its usual reverse proxy serves it (docs/serving.md):
// gzip at the proxy, validators and 304s, a year for content-hashed files, revalidation for the rest.

interface Raw {
    status: number
    headers: http.IncomingHttpHeaders
    body: Buffer
}

/** Raw HTTP, so that the test sees the bytes on the wire (fetch would decompress them). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
    return new Promise((resolve, reject) => {
        http.get(url, { headers: { Authorization: ADMIN, ...headers } }, (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
            res.on('error', reject)
        }).on('error', reject)
    })
}

const APP = '/api/apps/recettes-hospitalieres'
let dir: string
const bigJs = `console.log(${JSON.stringify('x'.repeat(20_000))});\n`.repeat(3)

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-serving-'))
    fs.writeFileSync(path.join(dir, 'index.html'), `<html><head><meta name="dhis2-base-url" content="__DHIS2_BASE_URL__"></head><body>${'app '.repeat(500)}</body></html>`)
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"name":"Recettes"}')
    fs.mkdirSync(path.join(dir, 'assets'))
    fs.writeFileSync(path.join(dir, 'assets', 'App-DEA6ep4D.js'), bigJs)
    fs.writeFileSync(path.join(dir, 'assets', 'plain.js'), bigJs)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('content-hashed names are recognised only under assets/', () => {
    expect(isHashedAsset('assets/App-DEA6ep4D.js')).toBe(true)
    expect(isHashedAsset('assets/main--SmQSNHa.js')).toBe(true)
    expect(isHashedAsset('assets/main--SmQSNHa.js.map')).toBe(true)
    expect(isHashedAsset('assets/fonts/roboto-latin-400-CEEi-WbQ.woff2')).toBe(true)
    expect(isHashedAsset('assets/plain.js')).toBe(false)
    expect(isHashedAsset('service-worker.js')).toBe(false)
    expect(isHashedAsset('favicon-16x16.png')).toBe(false)
    expect(isHashedAsset('App-DEA6ep4D.js')).toBe(false)
})

test('JavaScript and JSON are gzipped (never brotli, as nginx), identity without Accept-Encoding', async () => {
    const { standin } = await start({ appDir: dir })
    try {
        const url = `${standin.url}${APP}/assets/App-DEA6ep4D.js`
        const gz = await get(url, { 'Accept-Encoding': 'gzip, deflate, br, zstd' })
        expect(gz.status).toBe(200)
        expect(gz.headers['content-encoding']).toBe('gzip')
        expect(gz.headers.vary).toMatch(/Accept-Encoding/i)
        expect(gz.body.length).toBeLessThan(bigJs.length / 10)
        expect(zlib.gunzipSync(gz.body).toString()).toBe(bigJs)

        const plain = await get(url)
        expect(plain.headers['content-encoding']).toBeUndefined()
        expect(plain.body.toString()).toBe(bigJs)

        const api = await get(`${standin.url}/api/organisationUnits?fields=id,code,name,path&paging=false`, { 'Accept-Encoding': 'gzip' })
        expect(api.headers['content-encoding']).toBe('gzip')
        expect(JSON.parse(zlib.gunzipSync(api.body).toString()).organisationUnits.length).toBeGreaterThan(5)
    } finally {
        await standin.close()
    }
})

test('compress: false serves every answer uncompressed', async () => {
    const { standin } = await start({ appDir: dir, compress: false })
    try {
        const r = await get(`${standin.url}${APP}/assets/App-DEA6ep4D.js`, { 'Accept-Encoding': 'gzip' })
        expect(r.headers['content-encoding']).toBeUndefined()
        expect(r.body.toString()).toBe(bigJs)
    } finally {
        await standin.close()
    }
})

test('hashed assets: a year, immutable, with validators; a conditional request gets 304 and no body', async () => {
    const { standin } = await start({ appDir: dir })
    try {
        const url = `${standin.url}${APP}/assets/App-DEA6ep4D.js`
        const first = await get(url, { 'Accept-Encoding': 'gzip' })
        expect(first.headers['cache-control']).toBe(IMMUTABLE)
        expect(first.headers['content-type']).toMatch(/javascript/)
        expect(first.headers.etag).toBeTruthy()
        expect(first.headers['last-modified']).toBeTruthy()
        const byTag = await get(url, { 'Accept-Encoding': 'gzip', 'If-None-Match': first.headers.etag! })
        expect(byTag.status).toBe(304)
        expect(byTag.body.length).toBe(0)
        const byDate = await get(url, { 'If-Modified-Since': first.headers['last-modified']! })
        expect(byDate.status).toBe(304)
        const other = await get(url, { 'If-None-Match': '"something-else"' })
        expect(other.status).toBe(200)
        expect(other.body.toString()).toBe(bigJs)
    } finally {
        await standin.close()
    }
})

test('index.html, the manifest and unhashed files: no-cache (revalidated), 304 when unchanged', async () => {
    const { standin } = await start({ appDir: dir })
    try {
        for (const p of ['/manifest.json', '/assets/plain.js']) {
            const r = await get(`${standin.url}${APP}${p}`)
            expect(r.status).toBe(200)
            expect(r.headers['cache-control']).toBe('no-cache')
            expect((await get(`${standin.url}${APP}${p}`, { 'If-None-Match': r.headers.etag! })).status).toBe(304)
        }
        const index = await get(`${standin.url}${APP}/`, { 'Accept-Encoding': 'gzip' })
        expect(index.status).toBe(200)
        expect(index.headers['cache-control']).toBe('no-cache')
        expect(index.headers['content-encoding']).toBe('gzip')
        expect(zlib.gunzipSync(index.body).toString()).toContain(`content="${standin.url}"`)
        const again = await get(`${standin.url}${APP}/index.html`, { 'If-None-Match': index.headers.etag! })
        expect(again.status).toBe(304)
        expect(again.body.length).toBe(0)
        // The page names the server it came from: another Host gets another page and another validator.
        const viaOtherName = await get(`${standin.url}${APP}/index.html`, { 'If-None-Match': index.headers.etag!, Host: `localhost:${standin.port}` })
        expect(viaOtherName.status).toBe(200)
        expect(viaOtherName.body.toString()).toContain(`content="http://localhost:${standin.port}"`)
        expect(viaOtherName.headers.etag).not.toBe(index.headers.etag)
    } finally {
        await standin.close()
    }
})

test('appCache: false and compress: false serve as before (for before/after measurements): no validators, no caching', async () => {
    const { standin } = await start({ appDir: dir, appCache: false, compress: false })
    try {
        const js = await get(`${standin.url}${APP}/assets/App-DEA6ep4D.js`, { 'Accept-Encoding': 'gzip' })
        expect(js.headers.etag).toBeUndefined()
        expect(js.headers['last-modified']).toBeUndefined()
        expect(js.headers['cache-control']).toBeUndefined()
        expect(js.headers['content-encoding']).toBeUndefined()
        const index = await get(`${standin.url}${APP}/index.html`)
        expect(index.headers.etag).toBeUndefined()
        expect(index.headers['cache-control']).toBe('no-cache')
    } finally {
        await standin.close()
    }
})
