import type { ResolvedConfig } from '../config/load'
import { Dhis2Client, type Dhis2ClientOptions } from './client'

/**
 * The one way to build a DHIS2 client from the configuration (setup, sync, the stock commands,
 * the scheduler's alerts, config check): address, credentials, CA, time-out and retries from
 * `dhis2` in the configuration; `overrides` for the callers that want fewer retries or a hook.
 */
export function clientFromConfig(rc: Pick<ResolvedConfig, 'baseUrl' | 'credentials' | 'dhis2Ca' | 'config'>, overrides: Partial<Omit<Dhis2ClientOptions, 'baseUrl' | 'credentials' | 'ca'>> = {}): Dhis2Client {
    return new Dhis2Client({
        baseUrl: rc.baseUrl,
        credentials: rc.credentials,
        ca: rc.dhis2Ca,
        timeoutMs: rc.config.dhis2.timeoutMs,
        retries: rc.config.dhis2.retries,
        retryBaseDelayMs: rc.config.dhis2.retryBaseDelayMs,
        ...overrides,
    })
}
