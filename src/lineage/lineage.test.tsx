import { fireEvent, screen, within } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../app/app-root'
import { OU } from '../test-utils/fake-dhis2'
import { norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'
import { periodsInRange, selectLineage } from './lineage'

const ctx = setupFakeDhis2()

const run = (runId: number, at: string, over: Record<string, unknown> = {}) => ({ runId, at, valuesSent: 40, linesRead: 10732, quarantined: 6, exitCode: 3, ...over })
const ENTRY = {
    orgUnit: OU.HDB,
    orgUnitCode: 'ML-BKO-HDB',
    updatedAt: '2026-11-23T06:00:00.000Z',
    verify: { at: '2026-11-23T07:00:00.000Z', runId: 45, checked: 960, drifted: 1 },
    periods: {
        '202609': { runs: [run(41, '2026-11-03T06:00:00.000Z')], sources: ['export-2026-09.csv'], values: 38, drifted: 0 },
        '202610': { runs: [run(41, '2026-11-03T06:00:00.000Z'), run(44, '2026-11-05T06:00:00.000Z', { valuesSent: 3, linesRead: 15, quarantined: 0, exitCode: 0 })], sources: ['export-2026-10.csv', 'tardifs.csv'], values: 40, drifted: 1 },
    },
    bridgeVersion: '0.1.0',
}

describe('lineage entry', () => {
    test('selectLineage keeps a valid entry and refuses a malformed one as an unexpected response', () => {
        expect(selectLineage(ENTRY).periods['202610'].runs).toHaveLength(2)
        expect(() => selectLineage({ orgUnit: 'x' })).toThrow(expect.objectContaining({ name: 'UnexpectedResponseError' }))
    })
    test('periodsInRange: the selected months the bridge sent, latest first', () => {
        const e = selectLineage(ENTRY)
        const m = (y: number, mo: number) => y * 12 + mo - 1
        expect(periodsInRange(e, { start: m(2026, 8), end: m(2026, 11) }).map((p) => p.period)).toEqual(['202610', '202609'])
        expect(periodsInRange(e, { start: m(2026, 10), end: m(2026, 10) }).map((p) => p.period)).toEqual(['202610'])
    })
})

describe("« D'où vient ce chiffre ? »", () => {
    it('from the league table row of a facility: runs, sources and the last verify of the month', async () => {
        setState(ctx, { values: ALL_VALUES, dataStore: [{ key: `lineage-${OU.HDB}`, value: ENTRY }] })
        window.location.hash = `#/facilities?ou=${OU.BKO}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('facilities-table', {}, { timeout: 4000 })
        fireEvent.click(screen.getByTestId(`lineage-open-${OU.HDB}`))
        const panel = await screen.findByTestId('lineage-period-202610', {}, { timeout: 4000 })
        expect(norm(screen.getByTestId('lineage-panel').textContent)).toContain("D'où vient ce chiffre ?")
        expect(norm(within(panel).getByTestId('lineage-sources').textContent)).toBe('Sources : export-2026-10.csv, tardifs.csv')
        expect(norm(within(panel).getByTestId('lineage-run-44').textContent)).toContain('3')
        expect(norm(within(panel).getByTestId('lineage-run-41').textContent)).toContain('10 732')
        expect(norm(within(panel).getByTestId('lineage-verify').textContent)).toContain('1 des 40 valeurs')
        expect(screen.queryByTestId('lineage-period-202609')).toBeNull() // one month selected
    })

    it('says so when the bridge published nothing for the org unit', async () => {
        setState(ctx, { values: ALL_VALUES, dataStore: [] })
        window.location.hash = `#/overview?ou=${OU.HRK}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        fireEvent.click(await screen.findByTestId(`lineage-open-${OU.HRK}`, {}, { timeout: 4000 }))
        expect(norm((await screen.findByTestId('lineage-panel')).textContent)).toContain("Rien n'est encore publié")
    })
})
