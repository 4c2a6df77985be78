import type { UserRecord } from './state'

declare global {
    // eslint-disable-next-line @typescript-eslint/no-namespace
    namespace Express {
        interface Request {
            /** The authenticated DHIS2 user. */
            dhisUser?: UserRecord
            /** How the user authenticated. */
            authVia?: 'basic' | 'token' | 'session' | 'auto'
            /** The numeric API version segment of the path (`/api/41/...`), if any. */
            apiVersion?: number
            /** The request body as text (every content type). */
            rawBody?: string
        }
    }
}

export {}
