/**
 * Wiring: raw body → faults/recording → gzip → CORS → test hooks → API version strip → public routes →
 * authentication → API routes → 404 / error envelopes.
 */
import './express-augment'
import compression from 'compression'
import express, { type NextFunction, type Request, type Response } from 'express'
import { analyticsRoutes } from './analytics-routes'
import { appHandler } from './app-shell'
import { type AuthOptions, apiTokenRoutes, authMiddleware, loginRoutes } from './auth'
import { dataValueRoutes } from './datavalues/routes'
import { dataStoreRoutes } from './datastore'
import type { Faults } from './faults'
import { HttpError, sendJson, sendWebMessage, webMessage } from './http'
import { type JobRunner, taskRoutes } from './jobs'
import { metadataRoutes } from './metadata/routes'
import { messageRoutes } from './messages'
import type { StandinState } from './state'
import { APP_KEY, modulesRoute, systemRoutes } from './system'
import { type StandinHooks, hookRoutes } from './hooks'

export interface ServerOptions extends AuthOptions {
    appDir?: string
    asyncDelayMs?: number
    /** Default true: gzip as the reverse proxy in front of a production DHIS2 does. */
    compress?: boolean
    /** Default true: validators and Cache-Control on the app's files (standin/app-shell.ts). */
    appCache?: boolean
}

/**
 * nginx as DHIS2's reverse-proxy guide configures it (docs/serving.md): `gzip on` for HTML, JSON,
 * JavaScript, CSS, XML and text, at nginx's default level 1, and no brotli (not in nginx's stock
 * build). Test hooks are not part of DHIS2: never compressed.
 */
function proxyGzip() {
    const gzip = compression({ level: 1, filter: (req, res) => !req.path.startsWith('/__standin') && compression.filter(req, res) })
    return (req: Request, res: Response, next: NextFunction) => {
        const accept = req.headers['accept-encoding']
        if (typeof accept === 'string') req.headers['accept-encoding'] = accept.split(',').filter((e) => !/^\s*(br|zstd)\b/i.test(e)).join(',')
        gzip(req, res, next)
    }
}

function readBody(req: Request, _res: Response, next: NextFunction): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
        req.rawBody = Buffer.concat(chunks).toString('utf8')
        next()
    })
    req.on('error', next)
}

function cors(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin
    if (origin) {
        res.setHeader('Access-Control-Allow-Origin', origin)
        res.setHeader('Access-Control-Allow-Credentials', 'true')
        res.setHeader('Vary', 'Origin')
    }
    if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? 'Authorization,Content-Type,X-Requested-With,Accept'))
        res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT,PATCH,DELETE,OPTIONS')
        res.status(204).end()
        return
    }
    next()
}

/** `/api/<28..42>/...` → `/api/...`, remembering the number (for the /api/37 quirks). */
function stripApiVersion(req: Request, res: Response, next: NextFunction): void {
    const m = /^\/api\/(\d+)(?=\/|$|\?)/.exec(req.url)
    if (m) {
        const n = Number(m[1])
        if (n < 28 || n > 42) return sendWebMessage(res, webMessage(404, 'ERROR', `API version ${n} is not supported`, { errorCode: null }))
        req.apiVersion = n
        req.url = `/api${req.url.slice(m[0].length)}` || '/api'
    }
    next()
}

export function createServer(getState: () => StandinState, hooks: StandinHooks, faults: Faults, jobs: JobRunner, opts: ServerOptions): express.Express {
    const app = express()
    app.disable('x-powered-by')
    app.set('etag', false)
    app.set('query parser', 'simple')
    app.use(readBody)
    app.use(faults.middleware())
    // After the request log, which keeps the Accept-Encoding the client sent.
    if (opts.compress !== false) app.use(proxyGzip())
    app.use(cors)
    app.use('/__standin', hookRoutes(hooks))
    app.use(stripApiVersion)

    // Public.
    app.get(['/api/ping', '/api/system/ping'], (_req, res) => {
        res.status(200).type('text/plain').send('pong')
    })
    app.get('/api/staticContent/:key', (req, res) =>
        sendWebMessage(res, webMessage(404, 'ERROR', `No custom file found for key: ${req.params.key}`, { errorCode: null }))
    )
    loginRoutes(app, getState)

    // Authenticated.
    const auth = authMiddleware(getState, opts)
    app.get('/', (req, res) => res.redirect(302, opts.appDir ? `/api/apps/${APP_KEY}/index.html` : '/api/system/info'))
    app.get('/dhis-web-commons/menu/getModules.action', auth, modulesRoute(app, opts))
    if (opts.appDir) {
        const serveApp = appHandler(opts.appDir, { cache: opts.appCache !== false })
        app.use(`/api/apps/${APP_KEY}`, auth, (req, res) => {
            // Relative asset URLs need the trailing slash.
            if (req.originalUrl.split('?')[0] === `/api/apps/${APP_KEY}`) return res.redirect(302, `/api/apps/${APP_KEY}/`)
            serveApp(req, res)
        })
    }
    const api = express.Router()
    api.use(auth)
    systemRoutes(api, getState, opts)
    apiTokenRoutes(api, getState)
    dataValueRoutes(api, getState, jobs)
    taskRoutes(api, getState)
    analyticsRoutes(api, getState, jobs)
    dataStoreRoutes(api, getState)
    messageRoutes(api, getState)
    metadataRoutes(api, getState)
    app.use('/api', api)

    app.use((req, res) => {
        sendWebMessage(res, webMessage(404, 'ERROR', `No endpoint ${req.method} ${req.path}`, { errorCode: null }))
    })
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
        if (res.headersSent) return
        if (err instanceof HttpError) {
            for (const [k, v] of Object.entries(err.extra.headers ?? {})) res.setHeader(k, v)
            return sendWebMessage(res, err.toWebMessage())
        }
        const e = err as Error
        sendJson(res, 500, webMessage(500, 'ERROR', e?.message ?? String(err), { errorCode: null, devMessage: e?.stack?.split('\n')[1]?.trim() }))
    })
    return app
}
