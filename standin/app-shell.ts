/**
 * Serves a built DHIS2 app at /api/apps/recettes-hospitalieres/ (behind the same authentication as
 * the API, so the session cookie or the auto-login user applies), replacing the
 * `__DHIS2_BASE_URL__` placeholder in index.html like a DHIS2 backend does.
 *
 * Cached as a production server behind its usual reverse proxy serves it (docs/serving.md): every
 * file carries validators (`ETag`, `Last-Modified`) and answers 304 to a matching conditional
 * request, as Tomcat's default servlet does; files whose name holds the bundler's content hash
 * (`assets/name-XXXXXXXX.ext`) are `public, max-age=31536000, immutable`, everything else
 * (index.html, manifests, icons, the service worker) `no-cache`, i.e. revalidated on every use.
 * Compression is the server's business (standin/server.ts).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import express, { type Request, type Response } from 'express'
import { baseUrl, sendWebMessage, webMessage } from './http'

const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=UTF-8',
    '.js': 'text/javascript; charset=UTF-8',
    '.mjs': 'text/javascript; charset=UTF-8',
    '.css': 'text/css; charset=UTF-8',
    '.json': 'application/json; charset=UTF-8',
    '.webmanifest': 'application/manifest+json',
    '.map': 'application/json; charset=UTF-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.gif': 'image/gif',
    '.ico': 'image/x-icon',
    '.woff': 'font/woff',
    '.woff2': 'font/woff2',
    '.ttf': 'font/ttf',
    '.txt': 'text/plain; charset=UTF-8',
    '.wasm': 'application/wasm',
}

export const IMMUTABLE = 'public, max-age=31536000, immutable'

/** Vite's output: `assets/` then a name ending in `-` and an 8-character base64url hash (`main--SmQSNHa.js`). */
export function isHashedAsset(relPath: string): boolean {
    const parts = relPath.split(/[\\/]/).filter(Boolean)
    return parts[0] === 'assets' && /-[A-Za-z0-9_-]{8}\.[a-z0-9]+(?:\.map)?$/.test(parts[parts.length - 1])
}

/** `cache: false` serves as the stand-in did before (no validators, no Cache-Control on assets), for before/after measurements. */
export function appHandler(appDir: string, { cache = true }: { cache?: boolean } = {}) {
    const root = path.resolve(appDir)
    const files = express.static(root, {
        index: false,
        redirect: false,
        dotfiles: 'ignore',
        etag: cache,
        lastModified: cache,
        cacheControl: false,
        setHeaders: (res, file) => {
            res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream')
            if (cache) res.setHeader('Cache-Control', isHashedAsset(path.relative(root, file)) ? IMMUTABLE : 'no-cache')
        },
    })
    return (req: Request, res: Response) => {
        // req.path is relative to the mount point /api/apps/<key>
        let rel = decodeURIComponent(req.path)
        if (rel === '' || rel === '/') rel = '/index.html'
        const file = path.resolve(root, `.${rel}`)
        if (!file.startsWith(root + path.sep) && file !== root) return sendWebMessage(res, webMessage(404, 'ERROR', 'Not found', { errorCode: null }))
        let target = file
        if (fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, 'index.html')
        if (!fs.existsSync(target)) return sendWebMessage(res, webMessage(404, 'ERROR', `App resource not found: ${rel}`, { errorCode: null }))
        if (path.extname(target).toLowerCase() === '.html') return sendHtml(req, res, target, cache)
        files(req, res, () => sendWebMessage(res, webMessage(404, 'ERROR', `App resource not found: ${rel}`, { errorCode: null })))
    }
}

/** The page with the server's own URL in it: its validator is the text sent, not the file's. */
function sendHtml(req: Request, res: Response, file: string, validators: boolean): void {
    const body = fs.readFileSync(file, 'utf8').replace(/__DHIS2_BASE_URL__/g, baseUrl(req))
    res.setHeader('Content-Type', TYPES['.html'])
    res.setHeader('Cache-Control', 'no-cache')
    if (!validators) {
        res.status(200).send(body)
        return
    }
    res.setHeader('ETag', `"${createHash('sha1').update(body).digest('base64url')}"`)
    res.setHeader('Last-Modified', fs.statSync(file).mtime.toUTCString())
    if (req.fresh) {
        res.status(304).end()
        return
    }
    res.status(200).send(body)
}
