import { screen, within } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../app/app-root'
import { ERRORS, OU } from '../test-utils/fake-dhis2'
import { analyticsRequests, norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { NOW } from '../test-utils/scenario'

const ctx = setupFakeDhis2()

// NOW is 2026-11-23T10:00Z; the bridge wrote these after its runs (counts only).
const summary = (orgUnit: string, code: string, over: Record<string, unknown> = {}) => ({
    key: `facility-${orgUnit}`,
    value: {
        orgUnit,
        orgUnitCode: code,
        lastRunAt: '2026-11-23T06:00:12.000Z',
        lastSuccessAt: '2026-11-23T06:00:12.000Z',
        lastRunStatus: 'OK',
        valuesSent: 1200,
        conflicts: 0,
        quarantined: 0,
        linesRead: 5400,
        bridgeVersion: '0.1.0',
        ...over,
    },
})

const ENTRIES = [
    summary(OU.HDB, 'ML-BKO-HDB'),
    summary(OU.CHUGT, 'ML-BKO-CHUGT', { lastRunStatus: 'QUARANTINE', quarantined: 3 }),
    summary(OU.HRK, 'ML-KAY-HRK', { lastRunAt: '2026-11-23T06:00:00.000Z', lastSuccessAt: '2026-11-18T06:00:00.000Z', lastRunStatus: 'UNREACHABLE' }),
    { key: `facility-${OU.HRS}`, value: { orgUnit: OU.HRS, lastRunStatus: 'SOMETIMES' } },
]

async function openFreshness(ou: string) {
    window.location.hash = `#/freshness?ou=${ou}`
    renderWithDhis2(<AppRoot now={NOW} />, { version: '2.41.3', lastAnalyticsTableSuccess: '2026-11-23T02:10:11.412' })
    return screen.findByTestId('freshness-table', {}, { timeout: 4000 })
}
const cell = (ou: string, c: string) => norm(screen.getByTestId(`freshness-${ou}-${c}`).textContent)

describe('Fraîcheur des données', () => {
    it('lists every facility with its last run, worst first', async () => {
        setState(ctx, { dataStore: ENTRIES })
        const table = await openFreshness(OU.ML)
        const order = within(table)
            .getAllByTestId(/^freshness-row-/)
            .map((r) => r.getAttribute('data-test')!.replace('freshness-row-', ''))
        // failing (Kayes), never synced (Point G, CSRéf IV, Sikasso: unreadable entry), with quarantine, up to date
        expect(order).toEqual([OU.HRK, OU.CHUPG, OU.CSREF4, OU.HRS, OU.CHUGT, OU.HDB])
        expect(cell(OU.HDB, 'state')).toBe('À jour')
        expect(cell(OU.HDB, 'last-run')).toContain('23 nov. 2026')
        expect(cell(OU.HDB, 'last-run')).toContain('il y a 4 heures')
        expect(cell(OU.HDB, 'values-sent')).toBe('1 200')
        expect(cell(OU.HDB, 'lines-read')).toBe('5 400')
        expect(cell(OU.CHUGT, 'state')).toBe('Livré, données à corriger')
        expect(cell(OU.CHUGT, 'quarantined')).toBe('3')
        expect(cell(OU.CHUGT, 'new-problems')).toBe('3')
        expect(cell(OU.CHUGT, 'last-delivery')).toContain('il y a 4 heures')
        expect(cell(OU.CHUGT, 'last-clean')).toContain('il y a 4 heures')
        expect(cell(OU.HRK, 'status')).toBe('DHIS2 injoignable')
        expect(cell(OU.HRK, 'last-delivery')).toContain('il y a 5 jours')
        expect(cell(OU.CHUPG, 'state')).toBe('Jamais synchronisé')
        expect(cell(OU.CHUPG, 'last-run')).toBe('—')
        expect(screen.getByTestId('freshness-invalid')).toHaveTextContent(`facility-${OU.HRS}`)
        expect(norm(screen.getByTestId('freshness-summary').textContent)).toBe(
            '1 à jour, 1 avec des valeurs rejetées ou des lignes en quarantaine, 1 en échec ou en retard, 3 jamais synchronisé(s).'
        )
        expect(screen.getByTestId('analytics-generated-at')).toHaveTextContent('23 nov. 2026')
    })

    it('shows only the facilities under the selected unit, with one data store request and no analytics', async () => {
        setState(ctx, { dataStore: ENTRIES })
        const table = await openFreshness(OU.BKO)
        expect(within(table).getAllByTestId(/^freshness-row-/)).toHaveLength(4)
        expect(screen.queryByTestId(`freshness-row-${OU.HRK}`)).toBeNull()
        expect(ctx.log.filter((r) => r.resource === 'dataStore/payrev')).toHaveLength(1)
        expect(ctx.log.find((r) => r.resource === 'dataStore/payrev')!.params.get('paging')).toBe('false')
        // Only run summaries: the pharmacy reconciliation entries of the namespace stay on the server.
        expect(ctx.log.find((r) => r.resource === 'dataStore/payrev')!.params.get('filter')).toBe('lastRunStatus:!null')
        expect(analyticsRequests(ctx.log)).toHaveLength(0)
    })

    it('404 “namespace not found”: the bridge never ran, shown as the empty state', async () => {
        setState(ctx, { dataStore: null })
        window.location.hash = `#/freshness?ou=${OU.ML}`
        renderWithDhis2(<AppRoot now={NOW} />)
        const empty = await screen.findByTestId('empty-state', {}, { timeout: 4000 })
        expect(empty).toHaveTextContent("Le pont n'a pas encore été exécuté")
        expect(screen.queryByTestId('error-state')).toBeNull()
    })

    it('403: no access to the namespace', async () => {
        setState(ctx, { fail: { dataStore: ERRORS.forbidden } })
        window.location.hash = `#/freshness?ou=${OU.ML}`
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('error-state', {}, { timeout: 4000 })).toHaveAttribute('data-error-kind', 'no-access')
    })
})
