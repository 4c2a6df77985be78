/**
 * What went wrong with a request, in terms the UI can explain. app-runtime throws a FetchError:
 * `type: 'access'` for 401/403/409 (details = the DHIS2 WebMessage), `'unknown'` for other
 * non-2xx, `'network'` when the server could not be reached.
 */
export type ErrorKind =
    | 'analytics-tables-missing' // 409 E7144: the analytics tables were never generated
    | 'no-access' // 401/403, or 409 E7120 (org unit outside the user's view units)
    | 'too-many-rows' // 409 E7128: keyAnalyticsMaxLimit exceeded
    | 'not-found'
    | 'network'
    | 'invalid-response'
    | 'unknown'

export interface ClassifiedError {
    kind: ErrorKind
    status: number | null
    errorCode: string | null
    message: string
}

interface FetchErrorLike {
    type?: string
    message?: string
    name?: string
    details?: { httpStatusCode?: number; errorCode?: string; message?: string } | null
}

export function classifyError(error: unknown): ClassifiedError {
    const e = (error ?? {}) as FetchErrorLike
    const details = e.details && typeof e.details === 'object' ? e.details : {}
    const status = typeof details.httpStatusCode === 'number' ? details.httpStatusCode : null
    const errorCode = typeof details.errorCode === 'string' ? details.errorCode : null
    const message = details.message ?? e.message ?? String(error)
    const out = (kind: ErrorKind): ClassifiedError => ({ kind, status, errorCode, message })

    if (e.name === 'UnexpectedResponseError') return out('invalid-response')
    if (errorCode === 'E7144') return out('analytics-tables-missing')
    if (errorCode === 'E7120') return out('no-access')
    if (errorCode === 'E7128') return out('too-many-rows')
    if (status === 401 || status === 403) return out('no-access')
    if (status === 404) return out('not-found')
    if (e.type === 'network') return out('network')
    // A 401/403 without a JSON body reaches us as type 'access' with message Unauthorized/Forbidden.
    if (e.type === 'access' && status === null) return out('no-access')
    return out('unknown')
}
