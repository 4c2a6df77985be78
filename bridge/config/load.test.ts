import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ConfigError, resolveConfig } from './load'

const env = { DHIS2_BASE_URL: 'https://dhis2.example.org/dhis/', DHIS2_TOKEN: 'd2p_abc' }
function file(json: unknown): string {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'bridge.json')
    fs.writeFileSync(f, typeof json === 'string' ? json : JSON.stringify(json))
    return f
}

describe('configuration', () => {
    test('works from the environment alone, with the contract defaults', () => {
        const rc = resolveConfig(undefined, env)
        expect(rc.baseUrl).toBe('https://dhis2.example.org/dhis')
        expect(rc.credentials).toEqual({ kind: 'token', token: 'd2p_abc' })
        expect(rc.config.periodType).toBe('Monthly')
        expect(rc.zoneFor('ANY')).toBe('Africa/Bamako')
        expect(rc.stateDir).toBe(path.resolve('.bridge-state'))
    })

    test('a base URL given with /api is taken as the root', () => {
        expect(resolveConfig(undefined, { ...env, DHIS2_BASE_URL: 'http://h:8080/api' }).baseUrl).toBe('http://h:8080')
    })

    test('BRIDGE_TIME_ZONE sets the default zone, a facility may override it', () => {
        const rc = resolveConfig(file({ facilities: [{ code: 'TKY', timeZone: 'Asia/Tokyo', orgUnit: 'OU_TKY' }] }), { ...env, BRIDGE_TIME_ZONE: 'Europe/Paris' })
        expect(rc.zoneFor('X')).toBe('Europe/Paris')
        expect(rc.zoneFor('TKY')).toBe('Asia/Tokyo')
        expect(rc.orgUnitRefFor('TKY')).toBe('OU_TKY')
        expect(rc.orgUnitRefFor('X')).toBe('X')
    })

    test('errors name the key, in French and English', () => {
        const check = (json: unknown, pattern: RegExp) => {
            try {
                resolveConfig(file(json), env)
                throw new Error('no error')
            } catch (e) {
                expect(e).toBeInstanceOf(ConfigError)
                expect((e as ConfigError).reason.en).toMatch(pattern)
                expect((e as ConfigError).reason.fr).toMatch(pattern)
            }
        }
        check({ periodType: 'Yearly' }, /periodType/)
        check({ facilities: [{ code: 'A', timeZone: 'Mars/Olympus' }] }, /facilities\.0\.timeZone/)
        check({ dhis2: { batchSize: 0 } }, /dhis2\.batchSize/)
        check({ unknownKey: 1 }, /unknownKey/)
        check('{ not json', /JSON/)
    })

    test('missing credentials or URL are configuration errors', () => {
        expect(() => resolveConfig(undefined, { DHIS2_BASE_URL: 'https://x.org' })).toThrow(ConfigError)
        expect(() => resolveConfig(undefined, { DHIS2_TOKEN: 't' })).toThrow(/DHIS2_BASE_URL/)
        expect(() => resolveConfig(undefined, { ...env, DHIS2_BASE_URL: 'ftp://x' })).toThrow(/DHIS2_BASE_URL/)
        expect(resolveConfig(undefined, { DHIS2_BASE_URL: 'https://x.org', DHIS2_USERNAME: 'u', DHIS2_PASSWORD: 'p' }).credentials.kind).toBe('basic')
    })
})
