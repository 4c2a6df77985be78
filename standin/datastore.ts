/**
 * Data store and user data store (reference §10): namespaces of JSON values, returned verbatim,
 * with the server's exact messages, and the query API (`fields`, `filter`, `order`, paging).
 */
import type { Request, Response, Router } from 'express'
import { formatLocal } from './clock'
import { HttpError, qList, qOne, sendJson, sendWebMessage, webMessage } from './http'
import { parseFields, renderPlain } from './query/fields'
import type { DataStoreEntry, Namespaces, StandinState } from './state'
import { generateUid } from './uid'

function sendRaw(res: Response, json: string): void {
    res.status(200).setHeader('Content-Type', 'application/json;charset=UTF-8')
    res.send(json)
}

function valueAt(value: unknown, path: string): unknown {
    let cur = value
    for (const seg of path.split('.')) {
        if (cur === null || typeof cur !== 'object') return undefined
        cur = (cur as Record<string, unknown>)[seg]
    }
    return cur
}

function entryMatches(key: string, value: unknown, filter: string): boolean {
    const [path, op, ...rest] = filter.split(':')
    const expected = rest.join(':')
    const actual = path === '_' ? value : path === 'key' || path === '.' ? key : valueAt(value, path.replace(/^_\./, ''))
    const s = actual === undefined || actual === null ? null : typeof actual === 'string' ? actual : JSON.stringify(actual)
    const num = (x: unknown) => (typeof x === 'number' ? x : Number(x))
    switch (op) {
        case 'eq':
            return s === expected
        case '!eq':
        case 'ne':
        case 'neq':
            return s !== expected
        case 'ieq':
            return s !== null && s.toLowerCase() === expected.toLowerCase()
        case 'like':
            return s !== null && s.includes(expected)
        case 'ilike':
            return s !== null && s.toLowerCase().includes(expected.toLowerCase())
        case '!like':
            return s === null || !s.includes(expected)
        case '!ilike':
            return s === null || !s.toLowerCase().includes(expected.toLowerCase())
        case '$like':
            return s !== null && s.startsWith(expected)
        case 'like$':
            return s !== null && s.endsWith(expected)
        case 'gt':
            return s !== null && num(actual) > num(expected)
        case 'ge':
            return s !== null && num(actual) >= num(expected)
        case 'lt':
            return s !== null && num(actual) < num(expected)
        case 'le':
            return s !== null && num(actual) <= num(expected)
        case 'null':
            return s === null
        case '!null':
            return s !== null
        case 'empty':
            return Array.isArray(actual) ? actual.length === 0 : s === '' || (typeof actual === 'object' && actual !== null && Object.keys(actual).length === 0)
        case 'in':
            return s !== null && expected.replace(/^\[|\]$/g, '').split(',').includes(s)
        case '!in':
            return s === null || !expected.replace(/^\[|\]$/g, '').split(',').includes(s)
        default:
            throw new HttpError(400, `Unknown operator: ${op}`, 'E7651')
    }
}

function routes(router: Router, prefix: string, getSpace: (req: Request) => Namespaces, getState: () => StandinState): void {
    const nsNotFound = (ns: string) => new HttpError(404, `Namespace not found: '${ns}'`, 'E1005')
    const keyNotFound = (ns: string, key: string) => new HttpError(404, `Key '${key}' not found in namespace '${ns}'`, 'E1005')

    router.get(prefix, (req, res) => sendJson(res, 200, [...getSpace(req).keys()].sort()))

    const listOrQuery = (req: Request, res: Response) => {
        const ns = String(req.params.ns)
        const space = getSpace(req).get(ns)
        if (!space) throw nsNotFound(ns)
        const fields = qOne(req, 'fields')
        if (fields === undefined || req.path.endsWith('/keys')) return sendJson(res, 200, [...space.keys()].sort())
        let entries = [...space.entries()].map(([key, e]) => ({ key, value: JSON.parse(e.json) as unknown }))
        const filters = qList(req, 'filter')
        const or = (qOne(req, 'rootJunction') ?? 'AND').toUpperCase() === 'OR'
        if (filters.length) entries = entries.filter((e) => (or ? filters.some((f) => entryMatches(e.key, e.value, f)) : filters.every((f) => entryMatches(e.key, e.value, f))))
        const order = qOne(req, 'order')
        if (order) {
            const [path, dir = 'asc'] = order.split(':')
            const key = (e: { key: string; value: unknown }) => {
                const v = path === '_' ? e.value : path === 'key' || path === '.' ? e.key : valueAt(e.value, path)
                return v === undefined || v === null ? '' : v
            }
            entries.sort((a, b) => {
                const va = key(a)
                const vb = key(b)
                const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))
                return dir.toLowerCase().endsWith('desc') ? -c : c
            })
        } else entries.sort((a, b) => a.key.localeCompare(b.key))
        const rendered = entries.map((e) => {
            if (fields.trim() === '.' || fields.trim() === '') return { key: e.key, value: e.value }
            const nodes = parseFields(fields)
            return { key: e.key, ...(renderPlain(e.value, nodes) as Record<string, unknown>) }
        })
        const paging = (qOne(req, 'paging') ?? 'true').toLowerCase() !== 'false' && (qOne(req, 'headless') ?? 'false').toLowerCase() !== 'true'
        if (!paging) return sendJson(res, 200, rendered, { keepNulls: true })
        const page = Math.max(1, Number(qOne(req, 'page') ?? 1) || 1)
        const pageSize = Math.max(1, Number(qOne(req, 'pageSize') ?? 50) || 50)
        sendJson(res, 200, { pager: { page, pageSize }, entries: rendered.slice((page - 1) * pageSize, page * pageSize) }, { keepNulls: true })
    }
    router.get(`${prefix}/:ns`, listOrQuery)
    router.get(`${prefix}/:ns/keys`, listOrQuery)

    router.get(`${prefix}/:ns/:key/metaData`, (req, res) => {
        const ns = String(req.params.ns)
        const key = String(req.params.key)
        const e = getSpace(req).get(ns)?.get(key)
        if (!e) throw keyNotFound(ns, key)
        sendJson(res, 200, {
            id: e.id,
            created: formatLocal(e.created),
            lastUpdated: formatLocal(e.lastUpdated),
            createdBy: e.createdBy ? { id: e.createdBy } : undefined,
            lastUpdatedBy: e.lastUpdatedBy ? { id: e.lastUpdatedBy } : undefined,
            namespace: ns,
            key,
            sharing: { public: 'rw------', external: false, users: {}, userGroups: {} },
        })
    })

    router.get(`${prefix}/:ns/:key`, (req, res) => {
        const ns = String(req.params.ns)
        const key = String(req.params.key)
        const e = getSpace(req).get(ns)?.get(key)
        if (!e) throw keyNotFound(ns, key)
        sendRaw(res, e.json)
    })

    const write = (mode: 'POST' | 'PUT') => (req: Request, res: Response) => {
        const state = getState()
        const ns = String(req.params.ns)
        const key = String(req.params.key)
        const text = req.rawBody ?? ''
        let json: string
        try {
            json = JSON.stringify(JSON.parse(text))
        } catch {
            throw new HttpError(400, `Invalid JSON value for key '${key}'`, 'E1003')
        }
        const spaces = getSpace(req)
        const space = spaces.get(ns) ?? new Map<string, DataStoreEntry>()
        const existing = space.get(key)
        if (existing && mode === 'POST') throw new HttpError(409, `Key '${key}' already exists in namespace '${ns}'`, 'E1004')
        const now = state.clock.now()
        const userId = req.dhisUser?.id
        space.set(key, existing ? { ...existing, json, lastUpdated: now, lastUpdatedBy: userId } : { id: generateUid(), json, created: now, lastUpdated: now, createdBy: userId, lastUpdatedBy: userId })
        spaces.set(ns, space)
        if (existing) return sendWebMessage(res, webMessage(200, 'OK', `Key updated: '${key}'`))
        sendWebMessage(res, webMessage(201, 'OK', `Key created: '${key}'`))
    }
    router.post(`${prefix}/:ns/:key`, write('POST'))
    router.put(`${prefix}/:ns/:key`, write('PUT'))

    router.delete(`${prefix}/:ns/:key`, (req, res) => {
        const ns = String(req.params.ns)
        const key = String(req.params.key)
        const spaces = getSpace(req)
        const space = spaces.get(ns)
        if (!space?.has(key)) throw keyNotFound(ns, key)
        space.delete(key)
        if (!space.size) spaces.delete(ns)
        sendWebMessage(res, webMessage(200, 'OK', `Key '${key}' deleted from namespace '${ns}'`))
    })
    router.delete(`${prefix}/:ns`, (req, res) => {
        const ns = String(req.params.ns)
        const spaces = getSpace(req)
        if (!spaces.has(ns)) throw nsNotFound(ns)
        spaces.delete(ns)
        sendWebMessage(res, webMessage(200, 'OK', `Namespace deleted: '${ns}'`))
    })
}

export function dataStoreRoutes(router: Router, getState: () => StandinState): void {
    routes(router, '/dataStore', () => getState().dataStore, getState)
    routes(
        router,
        '/userDataStore',
        (req) => {
            const state = getState()
            const id = req.dhisUser!.id
            let s = state.userDataStore.get(id)
            if (!s) {
                s = new Map()
                state.userDataStore.set(id, s)
            }
            return s
        },
        getState
    )
}
