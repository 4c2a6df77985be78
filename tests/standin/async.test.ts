/**
 * Asynchronous data value import (reference §5) per version: job WebMessage, Location, polling
 * notifications (newest first), empty task summary until done, one job at a time per type.
 */
import { Api, fixture, installDvsFixtureMetadata, sleep, start } from './helpers'

async function poll(api: Api, id: string): Promise<any[]> {
    for (let i = 0; i < 300; i++) {
        const res = await api.get(`system/tasks/DATAVALUE_IMPORT/${id}`)
        if (res.body.length && res.body[0].completed) return res.body
        await sleep(10)
    }
    throw new Error('job did not complete')
}

describe.each(['2.39.5', '2.40.3', '2.41.3', '2.42.1'])('async import on %s', (version) => {
    const minor = Number(version.split('.')[1])
    test('job message, polling, task summary', async () => {
        const { standin, api } = await start({ version, asyncDelayMs: 150 })
        try {
            await installDvsFixtureMetadata(api)
            const res = await api.post('dataValueSets?async=true', fixture('dvs_request_minimal.json'))
            expect(res.status).toBe(200)
            expect(res.headers.get('location')).toBe(`${standin.url}/api/system/tasks/DATAVALUE_IMPORT`)
            const r = res.body.response
            if (minor <= 40) {
                expect(res.body.message).toBe('Initiated dataValueImport')
                expect(Object.keys(r)).toEqual(['name', 'id', 'created', 'jobType', 'relativeNotifierEndpoint'])
                expect(r.name).toBe('dataValueImport')
            } else {
                expect(res.body.message).toMatch(/^Initiated DATAVALUE_IMPORT \(\d+\)$/)
                expect(r.name).toBe(res.body.message.slice('Initiated '.length))
                expect(r.jobParameters).toMatchObject({ async: true, importStrategy: 'CREATE_AND_UPDATE' })
                expect(r.responseType).toBe(minor >= 42 ? 'JobConfiguration' : undefined)
            }
            expect(r).toMatchObject({ jobType: 'DATAVALUE_IMPORT', relativeNotifierEndpoint: `/api/system/tasks/DATAVALUE_IMPORT/${r.id}` })
            expect(r.created).toMatch(/^2026-11-23T\d{2}:\d{2}:\d{2}\.\d{3}$/)

            // Not started yet: no notifications, and an empty 200 task summary.
            expect((await api.get(`system/tasks/DATAVALUE_IMPORT/${r.id}`)).body).toEqual([])
            const early = await api.get(`system/taskSummaries/DATAVALUE_IMPORT/${r.id}`)
            expect(early.status).toBe(200)
            expect(early.text).toBe('')

            const notes = await poll(api, r.id)
            expect(notes.every((n) => n.category === 'DATAVALUE_IMPORT' && n.id === n.uid)).toBe(true)
            expect(notes.slice(1).every((n) => !n.completed)).toBe(true)
            if (minor <= 40) expect(notes.map((n) => n.message)).toEqual(['Import done', 'Importing data values', 'Process started'])
            else {
                expect(notes[0].message).toBe('Import complete with status SUCCESS, 1 created, 0 updated, 0 deleted, 0 ignored')
                expect(notes.at(-1).message).toBe('Data value set import')
            }
            const summary = await api.get(`system/taskSummaries/DATAVALUE_IMPORT/${r.id}`)
            expect(summary.body).toMatchObject({ responseType: 'ImportSummary', status: 'SUCCESS', importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 } })
            expect(summary.body.importOptions.async).toBe(true)
        } finally {
            await standin.close()
        }
    })
})

test('an aborted async import ends with "Import process aborted" (2.40) and an ERROR summary', async () => {
    const { standin, api } = await start({ version: '2.40.3' })
    try {
        const res = await api.post('dataValueSets?async=true', { dataSet: 'NotADataSet', dataValues: [] })
        const notes = await poll(api, res.body.response.id)
        expect(notes[0]).toMatchObject({ level: 'WARN', message: 'Import process aborted', completed: true })
        const summary = await api.get(`system/taskSummaries/DATAVALUE_IMPORT/${res.body.response.id}`)
        expect(summary.body.status).toBe('ERROR')
        expect(summary.body.conflicts[0].errorCode).toBe('E7600')
    } finally {
        await standin.close()
    }
})

test('jobs of one type run one at a time, each after the start delay', async () => {
    const { standin, api } = await start({ version: '2.41.3', asyncDelayMs: 300 })
    try {
        await installDvsFixtureMetadata(api)
        const a = (await api.post('dataValueSets?async=true', fixture('dvs_request_minimal.json'))).body.response.id
        const b = (await api.post('dataValueSets?async=true', fixture('dvs_request_zero_value.json'))).body.response.id
        await sleep(450)
        expect((await api.get(`system/tasks/DATAVALUE_IMPORT/${a}`)).body[0].completed).toBe(true)
        expect((await api.get(`system/tasks/DATAVALUE_IMPORT/${b}`)).body).toEqual([])
        const notes = await poll(api, b)
        expect(notes[0].message).toBe('Import complete with status SUCCESS, 0 created, 0 updated, 1 deleted, 0 ignored')
        const all = await api.get('system/tasks/DATAVALUE_IMPORT')
        expect(Object.keys(all.body).sort()).toEqual([a, b].sort())
    } finally {
        await standin.close()
    }
})
