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
        '202610': {
            runs: [run(41, '2026-11-03T06:00:00.000Z'), run(44, '2026-11-05T06:00:00.000Z', { valuesSent: 3, linesRead: 15, quarantined: 0, exitCode: 0 })],
            sources: ['export-2026-10.csv', 'tardifs.csv'],
            values: 40,
            drifted: 1,
            lmis: { runs: [run(46, '2026-11-06T06:00:00.000Z', { valuesSent: 12 })], values: 12, drifted: 2 },
            recon: { runs: [run(47, '2026-11-07T06:00:00.000Z', { valuesSent: 17, linesRead: null, quarantined: 0, exitCode: 0 })], values: 17, drifted: 0 },
        },
        // A month of LMIS values only (a pharmacy month whose revenue values were never sent): not a revenue month.
        '202608': { runs: [], sources: ['pharmacie-2026-08.csv'], values: 0, drifted: 0, lmis: { runs: [run(40, '2026-11-02T06:00:00.000Z', { valuesSent: 9 })], values: 9, drifted: 0 } },
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
    test('periodsInRange of the LMIS family: the months with LMIS values, with their own runs and drift and the month\'s sources', () => {
        const e = selectLineage(ENTRY)
        const m = (y: number, mo: number) => y * 12 + mo - 1
        const rows = periodsInRange(e, { start: m(2026, 8), end: m(2026, 11) }, 'lmis')
        expect(rows.map((p) => [p.period, p.values, p.drifted, p.runs.map((r) => r.runId)])).toEqual([
            ['202610', 12, 2, [46]],
            ['202608', 9, 0, [40]],
        ])
        expect(rows[1].sources).toEqual(['pharmacie-2026-08.csv'])
    })
    test('an entry without LMIS part (published by an earlier bridge) is still read, and has no LMIS month', () => {
        const { '202608': _lmisOnly, ...periods } = ENTRY.periods
        const older = { ...ENTRY, periods: { ...periods, '202610': { ...ENTRY.periods['202610'], lmis: undefined } } }
        const e = selectLineage(JSON.parse(JSON.stringify(older)))
        const year2026 = { start: 2026 * 12, end: 2026 * 12 + 11 }
        expect(periodsInRange(e, year2026, 'lmis')).toEqual([])
        expect(periodsInRange(e, year2026).map((p) => p.period)).toEqual(['202610', '202609'])
    })
})

describe("« D'où vient ce chiffre ? »", () => {
    /** The hospital's entry served, the view opened at a month, its panel button clicked. */
    async function openPanel(view: string, pe: string, family = '', entry: unknown = ENTRY) {
        setState(ctx, { values: ALL_VALUES, dataStore: [{ key: `lineage-${OU.HDB}`, value: entry }] })
        window.location.hash = `#/${view}?ou=${OU.HDB}&pe=${pe}`
        renderWithDhis2(<AppRoot now={NOW} />)
        fireEvent.click(await screen.findByTestId(`lineage-open-${OU.HDB}${family ? `-${family}` : ''}`, {}, { timeout: 4000 }))
    }

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

    it('from the channels view: the revenue runs of the org unit, not the LMIS or reconciliation ones', async () => {
        await openPanel('channels', '202610')
        const panel = await screen.findByTestId('lineage-period-202610', {}, { timeout: 4000 })
        expect(within(panel).getByTestId('lineage-run-44')).toBeTruthy()
        expect(within(panel).queryByTestId('lineage-run-46')).toBeNull()
        expect(within(panel).queryByTestId('lineage-run-47')).toBeNull()
        expect(screen.queryByTestId('lineage-family')).toBeNull()
    })

    it('from the pharmacy view: the runs that sent the LMIS quantities of the month and their own drift', async () => {
        await openPanel('pharmacy', '202610', 'lmis')
        const panel = await screen.findByTestId('lineage-period-202610', {}, { timeout: 4000 })
        expect(norm(screen.getByTestId('lineage-family').textContent)).toContain('données LMIS')
        expect(norm(within(panel).getByTestId('lineage-run-46').textContent)).toContain('12')
        expect(within(panel).queryByTestId('lineage-run-41')).toBeNull() // the revenue runs are the overview's
        expect(norm(within(panel).getByTestId('lineage-verify').textContent)).toContain('2 des 12 valeurs')
    })

    it('from the reconciliation view: the reconcile run that sent the month\'s totals, and that DHIS2 holds them', async () => {
        await openPanel('reconciliation', '202610', 'recon')
        const panel = await screen.findByTestId('lineage-period-202610', {}, { timeout: 4000 })
        expect(norm(screen.getByTestId('lineage-family').textContent)).toContain('Totaux du rapprochement')
        expect(norm(within(panel).getByTestId('lineage-run-47').textContent)).toContain('17')
        expect(within(panel).queryByTestId('lineage-run-46')).toBeNull()
        expect(norm(within(panel).getByTestId('lineage-verify').textContent)).toContain('DHIS2 contient les 17 valeurs')
        expect(norm(screen.getByTestId('lineage-panel').textContent)).toContain('reconcile --month')
    })

    it('a verify of an earlier bridge did not keep the LMIS check per month: the panel says to verify again, not that DHIS2 holds them', async () => {
        const unknown = { ...ENTRY, periods: { ...ENTRY.periods, '202610': { ...ENTRY.periods['202610'], lmis: { ...ENTRY.periods['202610'].lmis, drifted: null } } } }
        await openPanel('pharmacy', '202610', 'lmis', unknown)
        const panel = await screen.findByTestId('lineage-period-202610', {}, { timeout: 4000 })
        const verify = norm(within(panel).getByTestId('lineage-verify').textContent)
        expect(verify).toContain('version antérieure du pont')
        expect(verify).not.toContain('contient')
    })

    it('from the pharmacy view, a month without LMIS value says so', async () => {
        await openPanel('pharmacy', '202609', 'lmis')
        expect(norm((await screen.findByTestId('lineage-panel')).textContent)).toContain("aucune valeur LMIS")
    })

    it('says so when the bridge published nothing for the org unit', async () => {
        setState(ctx, { values: ALL_VALUES, dataStore: [] })
        window.location.hash = `#/overview?ou=${OU.HRK}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        fireEvent.click(await screen.findByTestId(`lineage-open-${OU.HRK}`, {}, { timeout: 4000 }))
        expect(norm((await screen.findByTestId('lineage-panel')).textContent)).toContain("Rien n'est encore publié")
    })
})
