import type { Request, Response } from 'express'

export const REASON: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    202: 'Accepted',
    204: 'No Content',
    302: 'Found',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
}

export type WebStatus = 'OK' | 'WARNING' | 'ERROR'

/** The WebMessage envelope, in the field order the server serialises. */
export interface WebMessage {
    httpStatus: string
    httpStatusCode: number
    status: WebStatus
    message?: string
    devMessage?: string
    response?: unknown
    errorCode?: string
}

const DEFAULT_ERROR_CODE: Record<number, string> = { 400: 'E1003', 404: 'E1005', 409: 'E1004' }

export function webMessage(
    code: number,
    status: WebStatus,
    message?: string,
    opts: { errorCode?: string | null; response?: unknown; devMessage?: string } = {}
): WebMessage {
    const errorCode = opts.errorCode === null ? undefined : (opts.errorCode ?? (status === 'ERROR' ? DEFAULT_ERROR_CODE[code] : undefined))
    const wm: WebMessage = { httpStatus: REASON[code] ?? 'Unknown', httpStatusCode: code, status }
    if (message !== undefined) wm.message = message
    if (opts.devMessage !== undefined) wm.devMessage = opts.devMessage
    if (opts.response !== undefined) wm.response = opts.response
    if (errorCode) wm.errorCode = errorCode
    return wm
}

/** Jackson NON_NULL: null/undefined object members are omitted; array members are kept. */
export function stripNulls<T>(value: T): T {
    if (Array.isArray(value)) return value.map((v) => stripNulls(v)) as T
    if (value && typeof value === 'object' && !(value instanceof Date)) {
        const out: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            if (v === null || v === undefined) continue
            out[k] = stripNulls(v)
        }
        return out as T
    }
    return value
}

export function sendJson(res: Response, status: number, body: unknown, opts: { keepNulls?: boolean } = {}): void {
    const text = JSON.stringify(opts.keepNulls ? body : stripNulls(body))
    res.status(status)
    res.setHeader('Content-Type', 'application/json;charset=UTF-8')
    res.send(text)
}

export function sendWebMessage(res: Response, wm: WebMessage): void {
    sendJson(res, wm.httpStatusCode, wm)
}

/** Thrown by handlers; turned into a WebMessage by the error middleware. */
export class HttpError extends Error {
    constructor(
        readonly code: number,
        message: string,
        readonly errorCode?: string | null,
        readonly extra: { devMessage?: string; headers?: Record<string, string>; response?: unknown; status?: WebStatus } = {}
    ) {
        super(message)
    }

    toWebMessage(): WebMessage {
        return webMessage(this.code, this.extra.status ?? 'ERROR', this.message, {
            errorCode: this.errorCode,
            devMessage: this.extra.devMessage,
            response: this.extra.response,
        })
    }
}

export const notFound = (message: string) => new HttpError(404, message, 'E1005')
export const conflict = (message: string, errorCode = 'E1004') => new HttpError(409, message, errorCode)
export const badRequest = (message: string, errorCode: string | null = 'E1003') => new HttpError(400, message, errorCode)

/** Query parameter values, repeated or single, as a list. */
export function qList(req: Request, name: string): string[] {
    const v = (req.query as Record<string, unknown>)[name]
    if (v === undefined) return []
    return (Array.isArray(v) ? v : [v]).map(String)
}

export function qOne(req: Request, name: string): string | undefined {
    const l = qList(req, name)
    return l.length ? l[l.length - 1] : undefined
}

export function qBool(req: Request, name: string, dflt = false): boolean {
    const v = qOne(req, name)
    if (v === undefined || v === '') return dflt
    return v.toLowerCase() === 'true'
}

/** The server root as the client sees it (scheme, host, port), without /api. */
export function baseUrl(req: Request): string {
    const host = req.headers.host ?? `127.0.0.1:${req.socket.localPort}`
    return `http://${host}`
}
