/**
 * Serves a built DHIS2 app at /api/apps/recettes-hospitalieres/ (behind the same authentication as
 * the API, so the session cookie or the auto-login user applies), replacing the
 * `__DHIS2_BASE_URL__` placeholder in index.html like a DHIS2 backend does.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Request, Response } from 'express'
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

export function appHandler(appDir: string) {
    const root = path.resolve(appDir)
    return (req: Request, res: Response) => {
        // req.path is relative to the mount point /api/apps/<key>
        let rel = decodeURIComponent(req.path)
        if (rel === '' || rel === '/') rel = '/index.html'
        const file = path.resolve(root, `.${rel}`)
        if (!file.startsWith(root + path.sep) && file !== root) return sendWebMessage(res, webMessage(404, 'ERROR', 'Not found', { errorCode: null }))
        let target = file
        if (fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, 'index.html')
        if (!fs.existsSync(target)) return sendWebMessage(res, webMessage(404, 'ERROR', `App resource not found: ${rel}`, { errorCode: null }))
        const ext = path.extname(target).toLowerCase()
        res.status(200).setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream')
        if (ext === '.html') {
            res.setHeader('Cache-Control', 'no-cache')
            return res.send(fs.readFileSync(target, 'utf8').replace(/__DHIS2_BASE_URL__/g, baseUrl(req)))
        }
        res.send(fs.readFileSync(target))
    }
}
