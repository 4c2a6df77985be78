import { act, screen, waitFor } from '@testing-library/react'
import React, { useState } from 'react'
import { AppRoot } from '../app/app-root'
import { OU } from '../test-utils/fake-dhis2'
import { norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'
import { PluginRoot } from './plugin-root'

const ctx = setupFakeDhis2()
const text = (testId: string) => norm(screen.getByTestId(testId).textContent)
const CARDS = ['gross', 'net', 'digital-share-value']

const summary = (orgUnit: string, lastRunStatus: string) => ({
    key: `facility-${orgUnit}`,
    value: { orgUnit, orgUnitCode: 'ML-BKO-HDB', lastRunAt: '2026-11-23T06:00:12.000Z', lastSuccessAt: '2026-11-23T06:00:12.000Z', lastRunStatus, valuesSent: 10, conflicts: 0, quarantined: 0, linesRead: 50, bridgeVersion: '0.1.0' },
})
const filters = (ou: string, pe: string) => ({ ou: [{ id: ou, name: 'x' }], pe: [{ id: pe, name: pe }] })

async function cards() {
    await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
    return Object.fromEntries(CARDS.map((c) => [c, [text(`kpi-${c}-value`), text(`kpi-${c}-year`)]]))
}

describe('dashboard plugin', () => {
    it('shows the overview’s cards for the dashboard’s filters, the freshness, and a link to the app there', async () => {
        setState(ctx, { values: ALL_VALUES, dataStore: [summary(OU.HDB, 'OK')] })
        window.location.hash = `#/overview?ou=${OU.HDB}&pe=202610`
        const app = renderWithDhis2(<AppRoot now={NOW} />)
        const fromApp = await cards()
        app.unmount()

        const details = jest.fn()
        renderWithDhis2(<PluginRoot now={NOW} dashboardItemFilters={filters(OU.HDB, '202610')} setDashboardItemDetails={details} />)
        expect(await cards()).toEqual(fromApp)
        expect(fromApp.gross).toEqual(['1 500 000 FCFA', '▲+50 %']) // test-utils/scenario.ts
        expect(screen.queryByTestId('kpi-payments-value')).toBeNull()
        expect(screen.queryByTestId('kpi-gross-previous')).toBeNull()
        expect(text('plugin-context')).toBe('Hôpital de Dermatologie de Bamako · octobre 2026')
        expect(await screen.findByTestId('plugin-freshness-state')).toHaveTextContent('À jour')
        const href = screen.getByTestId('plugin-open-app').getAttribute('href')!
        expect(new URL(href).hash).toBe(`#/overview?ou=${OU.HDB}&pe=202610`)
        await waitFor(() => expect(details).toHaveBeenCalledWith({ itemTitle: 'Recettes hospitalières', appUrl: href }))
    })

    it('follows a filter change and names the filters it cannot apply', async () => {
        setState(ctx, { values: ALL_VALUES, dataStore: [] })
        // The Dashboard app sends new props to the same plugin instance.
        let setFilters: (f: unknown) => void = () => undefined
        function Host() {
            const [f, set] = useState<unknown>(filters(OU.HDB, '202610'))
            setFilters = set
            return <PluginRoot now={NOW} dashboardItemFilters={f} />
        }
        renderWithDhis2(<Host />)
        const october = await cards()
        act(() => setFilters({ ...filters(OU.HDB, '202609'), pe: [{ id: 'LAST_12_WEEKS', name: '12 dernières semaines' }, { id: '202609', name: 'x' }] }))
        await waitFor(() => expect(text('plugin-context')).toBe('Hôpital de Dermatologie de Bamako · septembre 2026'))
        await waitFor(() => expect(text('kpi-gross-value')).toBe('1 200 000 FCFA'))
        expect(october.gross[0]).not.toBe('1 200 000 FCFA')
        expect(text('plugin-ignored')).toBe('Filtres non appliqués à cet élément (12 dernières semaines)')
    })

    it('without filters: the user’s root and last month', async () => {
        setState(ctx, { values: ALL_VALUES })
        renderWithDhis2(<PluginRoot now={NOW} />)
        await waitFor(() => expect(text('plugin-context')).toBe('Mali · Le mois dernier'))
    })
})

describe('dashboard plugin, freshness', () => {
    it('says in one line that the bridge never ran (namespace not found), the cards still shown', async () => {
        setState(ctx, { values: ALL_VALUES, dataStore: null })
        renderWithDhis2(<PluginRoot now={NOW} dashboardItemFilters={filters(OU.HDB, '202610')} />)
        await cards()
        expect(await screen.findByTestId('plugin-freshness')).toHaveTextContent("Le pont n'a pas encore été exécuté")
    })
})
