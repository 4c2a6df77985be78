/**
 * Metadata endpoints: `POST /api/metadata`, lists and single objects with fields/filter/paging/order,
 * single-object CRUD, and collection item add/remove (`POST /api/dataSets/{uid}/organisationUnits/{ou}`).
 */
import type { Request, Response, Router } from 'express'
import { requireAuthority } from '../auth'
import { formatLocal } from '../clock'
import { HttpError, baseUrl, qList, qOne, sendJson, sendWebMessage, webMessage } from '../http'
import { STAR, parseFields, render } from '../query/fields'
import { applyFilters, applyOrder, paginate } from '../query/filter'
import type { StandinState, UserRecord } from '../state'
import { importMetadata } from './import'
import { DEFAULT_METADATA_PARAMS, type ImportReport, type MetadataImportParams } from './import-report'
import { KNOWN_COLLECTIONS, schemaFor, simpleNameOf } from './schema'
import { type StoredObject, refIds } from './store'
import { Resolver } from './views'

/** Generic collections served (stored as posted) besides the modelled ones. */
const GENERIC_COLLECTIONS = [
    'programs',
    'programStages',
    'optionSets',
    'options',
    'indicators',
    'indicatorTypes',
    'dataElementGroups',
    'organisationUnitGroups',
    'organisationUnitGroupSets',
    'attributes',
    'legendSets',
    'trackedEntityTypes',
    'trackedEntityAttributes',
    'dataApprovalWorkflows',
    'userRoles',
    'userGroups',
]

export function userObject(state: StandinState, u: UserRecord): StoredObject {
    return {
        id: u.id,
        username: u.username,
        firstName: u.firstName,
        surname: u.surname,
        name: `${u.firstName} ${u.surname}`,
        email: u.email,
        created: u.created,
        lastUpdated: u.created,
        organisationUnits: u.organisationUnits.map((id) => ({ id })),
        dataViewOrganisationUnits: u.dataViewOrganisationUnits.map((id) => ({ id })),
        teiSearchOrganisationUnits: u.teiSearchOrganisationUnits.map((id) => ({ id })),
        userRoles: [{ id: `${u.id.slice(0, 10)}R`, name: u.roleName }],
        userGroups: [],
        disabled: !!u.disabled,
    }
}

export function resolverFor(req: Request, state: StandinState): Resolver {
    const locale = qOne(req, 'locale') ?? req.dhisUser?.settings.keyDbLocale
    return new Resolver({
        store: state.metadata,
        base: baseUrl(req),
        locale,
        extra: (collection, id) => {
            if (collection !== 'users') return undefined
            const u = state.users.find((x) => x.id === id)
            return u ? userObject(state, u) : undefined
        },
    })
}

function upper<T extends string>(v: string | undefined, allowed: readonly T[], dflt: T, name: string): T {
    if (v === undefined || v === '') return dflt
    const u = v.toUpperCase() as T
    if (!allowed.includes(u)) throw new HttpError(400, `Value '${v}' is not valid for parameter ${name}. Valid values are: [${allowed.join(', ')}]`, 'E1003')
    return u
}

export function metadataParams(req: Request, state: StandinState): MetadataImportParams {
    return {
        importMode: upper(qOne(req, 'importMode'), ['COMMIT', 'VALIDATE'] as const, 'COMMIT', 'importMode'),
        identifier: upper(qOne(req, 'identifier'), ['UID', 'CODE', 'AUTO'] as const, 'UID', 'identifier'),
        importStrategy: upper(
            qOne(req, 'importStrategy')?.replace(/^NEW_AND_UPDATES$/i, 'CREATE_AND_UPDATE').replace(/^NEW$/i, 'CREATE').replace(/^UPDATES$/i, 'UPDATE').replace(/^DELETES$/i, 'DELETE'),
            ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'] as const,
            'CREATE_AND_UPDATE',
            'importStrategy'
        ),
        atomicMode: upper(qOne(req, 'atomicMode'), ['ALL', 'NONE'] as const, 'ALL', 'atomicMode'),
        importReportMode: upper(qOne(req, 'importReportMode'), ['ERRORS', 'FULL', 'DEBUG'] as const, 'ERRORS', 'importReportMode'),
        userId: req.dhisUser?.id,
        now: state.clock.now(),
    }
}

function parseBody(req: Request): Record<string, unknown> {
    try {
        const v = JSON.parse(req.rawBody || '')
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('Expected a JSON object')
        return v as Record<string, unknown>
    } catch (e) {
        throw new HttpError(400, `JSON parse error: ${(e as Error).message}`, 'E1003')
    }
}

function sendReport(req: Request, res: Response, state: StandinState, report: ImportReport): void {
    // /api/37/metadata and below answer the bare report on 2.39-2.41.
    if (req.apiVersion !== undefined && req.apiVersion < 38 && !state.version.v42) return sendJson(res, 200, report)
    if (report.status === 'OK') return sendWebMessage(res, webMessage(200, 'OK', undefined, { response: report }))
    sendWebMessage(res, webMessage(409, 'WARNING', 'One or more errors occurred, please see full details in import report.', { response: report }))
}

export function isServedCollection(state: StandinState, collection: string): boolean {
    return KNOWN_COLLECTIONS.includes(collection) || GENERIC_COLLECTIONS.includes(collection) || state.metadata.collectionNames().includes(collection)
}

export function metadataRoutes(router: Router, getState: () => StandinState): void {
    router.post('/metadata', (req, res) => {
        const state = getState()
        requireAuthority(req, state, 'F_METADATA_IMPORT')
        const report = importMetadata(state.metadata, parseBody(req), metadataParams(req, state))
        sendReport(req, res, state, report)
    })

    const objectsOf = (state: StandinState, collection: string): StoredObject[] =>
        collection === 'users' ? state.users.map((u) => userObject(state, u)) : state.metadata.all(collection)

    router.get('/:collection', (req, res, next) => {
        const state = getState()
        const collection = String(req.params.collection)
        if (!isServedCollection(state, collection)) return next()
        const r = resolverFor(req, state)
        let objs = objectsOf(state, collection)
        objs = applyFilters(collection, objs, qList(req, 'filter'), qOne(req, 'rootJunction'), r)
        objs = applyOrder(collection, objs, qList(req, 'order'), r)
        const fieldsParam = qList(req, 'fields').filter((f) => f.trim())
        const fields = parseFields(fieldsParam.length ? fieldsParam : 'id,displayName')
        const paging = qOne(req, 'paging')?.toLowerCase() !== 'false'
        if (!paging) return sendJson(res, 200, { [collection]: objs.map((o) => render(collection, o, fields, r)) })
        const { pager, items } = paginate(objs, Number(qOne(req, 'page') ?? 1) || 1, Number(qOne(req, 'pageSize') ?? 50) || 50, `${baseUrl(req)}/api/${collection}`)
        sendJson(res, 200, { pager, [collection]: items.map((o) => render(collection, o, fields, r)) })
    })

    const findOr404 = (state: StandinState, collection: string, id: string): StoredObject => {
        const obj = collection === 'users' ? objectsOf(state, 'users').find((u) => u.id === id) : state.metadata.get(collection, id)
        if (!obj) throw new HttpError(404, `${simpleNameOf(collection)} with id ${id} could not be found.`, 'E1005')
        return obj
    }

    router.get('/:collection/:id', (req, res, next) => {
        const state = getState()
        const collection = String(req.params.collection)
        if (!isServedCollection(state, collection)) return next()
        const obj = findOr404(state, collection, String(req.params.id))
        const fieldsParam = qList(req, 'fields').filter((f) => f.trim())
        sendJson(res, 200, render(collection, obj, fieldsParam.length ? parseFields(fieldsParam) : STAR, resolverFor(req, state)))
    })

    router.get('/:collection/:id/:property', (req, res, next) => {
        const state = getState()
        const collection = String(req.params.collection)
        if (!isServedCollection(state, collection)) return next()
        const obj = findOr404(state, collection, String(req.params.id))
        const property = String(req.params.property)
        const r = resolverFor(req, state)
        if (!r.knows(collection, property)) return next()
        const fieldsParam = qList(req, 'fields').filter((f) => f.trim())
        const nodes = parseFields(`${property}[${fieldsParam.length ? fieldsParam.join(',') : 'id,displayName'}]`)
        sendJson(res, 200, render(collection, obj, nodes, r))
    })

    // Single-object CRUD through the metadata importer.
    const single = (strategy: MetadataImportParams['importStrategy'], status: number) => (req: Request, res: Response, next: () => void) => {
        const state = getState()
        const collection = String(req.params.collection)
        if (!isServedCollection(state, collection) || collection === 'users') return next()
        requireAuthority(req, state, 'F_METADATA_IMPORT', `F_${(schemaFor(collection)?.simpleName ?? collection).toUpperCase()}_PUBLIC_ADD`)
        const body = strategy === 'DELETE' ? { id: String(req.params.id) } : parseBody(req)
        if (req.params.id) {
            findOr404(state, collection, String(req.params.id))
            body.id = String(req.params.id)
        }
        const report = importMetadata(state.metadata, { [collection]: [body] }, {
            ...DEFAULT_METADATA_PARAMS,
            importStrategy: strategy,
            importReportMode: 'FULL',
            userId: req.dhisUser?.id,
            now: state.clock.now(),
        })
        const type = report.typeReports[0]
        const objectReport = { responseType: 'ObjectReport', uid: type?.objectReports[0]?.uid, klass: type?.klass, errorReports: type?.objectReports[0]?.errorReports ?? [] }
        if (report.status !== 'OK') return sendWebMessage(res, webMessage(409, 'WARNING', 'One or more errors occurred, please see full details in import report.', { response: objectReport }))
        if (status === 201) res.setHeader('Location', `${baseUrl(req)}/api/${collection}/${objectReport.uid}`)
        sendWebMessage(res, webMessage(status, 'OK', undefined, { response: objectReport }))
    }
    router.post('/:collection', single('CREATE_AND_UPDATE', 201))
    router.put('/:collection/:id', single('UPDATE', 200))
    router.delete('/:collection/:id', single('DELETE', 200))

    // Collection items: POST/DELETE /api/{collection}/{uid}/{property}/{itemUid} → 204.
    const item = (add: boolean) => (req: Request, res: Response, next: () => void) => {
        const state = getState()
        const collection = String(req.params.collection)
        const property = String(req.params.property)
        const def = schemaFor(collection)?.props[property]
        if (!def || def.kind !== 'refs') return next()
        requireAuthority(req, state, 'F_METADATA_IMPORT', `F_${schemaFor(collection)!.simpleName.toUpperCase()}_PUBLIC_ADD`)
        const obj = findOr404(state, collection, String(req.params.id))
        const itemId = String(req.params.itemId)
        if (!state.metadata.get(def.type, itemId)) throw new HttpError(404, `${simpleNameOf(def.type)} with id ${itemId} could not be found.`, 'E1005')
        const ids = refIds(obj[property])
        const next2 = add ? (ids.includes(itemId) ? ids : [...ids, itemId]) : ids.filter((x) => x !== itemId)
        state.metadata.put(collection, { ...obj, [property]: next2.map((id) => ({ id })), lastUpdated: formatLocal(state.clock.now()) })
        res.status(204).end()
    }
    router.post('/:collection/:id/:property/:itemId', item(true))
    router.delete('/:collection/:id/:property/:itemId', item(false))
}

