import { FetchError } from '@dhis2/app-runtime'
import { ERRORS } from '../test-utils/fake-dhis2'
import { classifyError } from './errors'

// What app-runtime throws: 401/403/409 → type 'access' with the WebMessage as details.
const access = (r: { body: unknown }) => new FetchError({ type: 'access', message: (r.body as { message: string }).message, details: r.body as never })

describe('classifyError', () => {
    it('409 E7144: analytics tables not generated', () => {
        expect(classifyError(access(ERRORS.analyticsTablesMissing))).toMatchObject({ kind: 'analytics-tables-missing', status: 409, errorCode: 'E7144' })
    })
    it('403 and 409 E7120: no access', () => {
        expect(classifyError(access(ERRORS.forbidden)).kind).toBe('no-access')
        expect(classifyError(access(ERRORS.orgUnitNotAllowed)).kind).toBe('no-access')
        expect(classifyError(new FetchError({ type: 'access', message: 'Forbidden', details: {} as never })).kind).toBe('no-access')
    })
    it('409 E7128: too many rows', () => {
        expect(classifyError(access(ERRORS.maxLimit)).kind).toBe('too-many-rows')
    })
    it('404, network, invalid answer, anything else', () => {
        expect(classifyError(new FetchError({ type: 'unknown', message: 'x', details: ERRORS.namespaceNotFound.body as never })).kind).toBe('not-found')
        expect(classifyError(new FetchError({ type: 'network', message: 'An unknown network error occurred', details: {} as never })).kind).toBe('network')
        expect(classifyError(Object.assign(new Error('bad'), { name: 'UnexpectedResponseError' })).kind).toBe('invalid-response')
        const other = classifyError(new FetchError({ type: 'unknown', message: 'An unknown error occurred - Internal Server Error (500)', details: {} as never }))
        expect(other).toMatchObject({ kind: 'unknown', message: 'An unknown error occurred - Internal Server Error (500)' })
    })
})
