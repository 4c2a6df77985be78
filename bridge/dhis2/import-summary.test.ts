import { judgeBatch, parseImportSummary } from './import-summary'

// Example B of the reference (§4.3): positions 0 ok, 1 unknown DE, 2 negative, 3 locked period.
const exampleB = {
    httpStatus: 'Conflict',
    httpStatusCode: 409,
    status: 'WARNING',
    message: 'One more conflicts encountered, please check import summary.',
    response: {
        responseType: 'ImportSummary',
        status: 'WARNING',
        description: 'Import process completed successfully',
        importCount: { imported: 1, updated: 0, ignored: 3, deleted: 0 },
        conflicts: [
            { object: 'REV_UNKNOWN', objects: { dataElement: 'REV_UNKNOWN' }, value: 'Data element not found or not accessible: `REV_UNKNOWN`', errorCode: 'E7610', property: 'dataElement', indexes: [1] },
            { object: 's46m5MS0hxu', objects: { dataElement: 's46m5MS0hxu', value: 'value_not_zero_or_positive_integer' }, value: 'Value must match value type', errorCode: 'E7619', property: 'value', indexes: [2] },
            { object: '202301', objects: { period: '202301', dataSet: 'QX4ZTUbOt3a' }, value: 'Current date is past expiry days for period: `202301`  and data set: `QX4ZTUbOt3a`', errorCode: 'E7640', property: 'period', indexes: [3] },
        ],
        rejectedIndexes: [1, 2, 3],
        dataSetComplete: 'false',
    },
}

describe('import summary', () => {
    test('a 409 WARNING is a partial success: value 0 accepted, 1–3 rejected with their conflicts', () => {
        const summary = parseImportSummary(exampleB)!
        const v = judgeBatch(summary, 4)
        expect(v.aborted).toBe(false)
        expect([...v.rejected].sort()).toEqual([1, 2, 3])
        expect(v.conflictsByIndex.get(3)?.[0].errorCode).toBe('E7640')
        expect(v.counts).toEqual({ imported: 1, updated: 0, ignored: 3, deleted: 0 })
    })

    test('without rejectedIndexes (2.39.0, 2.40.0) the conflict indexes decide', () => {
        const { rejectedIndexes: _ignored, ...older } = exampleB.response
        const v = judgeBatch(parseImportSummary(older)!, 4)
        expect([...v.rejected].sort()).toEqual([1, 2, 3])
    })

    test('merged conflicts: one conflict with several indexes rejects each of them', () => {
        const v = judgeBatch(
            parseImportSummary({
                status: 'WARNING',
                importCount: { imported: 1, updated: 0, ignored: 2, deleted: 0 },
                conflicts: [{ object: '202301', errorCode: 'E7640', value: 'locked', indexes: [0, 2] }],
            })!,
            3
        )
        expect([...v.rejected].sort()).toEqual([0, 2])
        expect(v.conflictsByIndex.get(0)).toEqual(v.conflictsByIndex.get(2))
    })

    test('an aborted import (ERROR) rejects every value and keeps the header conflict', () => {
        const v = judgeBatch(
            parseImportSummary({
                httpStatusCode: 409,
                status: 'ERROR',
                response: {
                    responseType: 'ImportSummary',
                    status: 'ERROR',
                    description: 'Import process was aborted',
                    importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
                    conflicts: [{ object: 'NotADataSet', objects: { dataSet: 'NotADataSet' }, value: 'Data set not found or not accessible: `NotADataSet`', errorCode: 'E7600', property: 'dataSet' }],
                    rejectedIndexes: [],
                },
            })!,
            3
        )
        expect(v.aborted).toBe(true)
        expect(v.rejected.size).toBe(3)
        expect(v.generalConflicts[0].errorCode).toBe('E7600')
    })

    test('ignored values without conflicts (unchanged re-post) are accepted, not failures', () => {
        const v = judgeBatch(parseImportSummary({ status: 'SUCCESS', importCount: { imported: 0, updated: 0, ignored: 5, deleted: 0 }, conflicts: [], rejectedIndexes: [] })!, 5)
        expect(v.rejected.size).toBe(0)
    })

    test('a body that is no import summary is recognised as such', () => {
        expect(parseImportSummary('<html>login</html>')).toBeNull()
        expect(parseImportSummary({ httpStatus: 'Unauthorized', message: 'Unauthorized' })).toBeNull()
    })
})
