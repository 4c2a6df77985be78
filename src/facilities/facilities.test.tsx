import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../app/app-root'
import { ERRORS, OU, UIDS } from '../test-utils/fake-dhis2'
import { analyticsRequests, norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'

const ctx = setupFakeDhis2()

async function openFacilities(ou: string, pe: string) {
    window.location.hash = `#/facilities?ou=${ou}&pe=${pe}`
    renderWithDhis2(<AppRoot now={NOW} />)
    return screen.findByTestId('facilities-table', {}, { timeout: 4000 })
}
const cell = (ou: string, column: string) => norm(screen.getByTestId(`facility-${ou}-${column}`).textContent)
const rowOrder = (table: HTMLElement) =>
    within(table)
        .getAllByTestId(/^facility-row-/)
        .map((r) => r.getAttribute('data-test')!.replace('facility-row-', ''))

describe('Établissements', () => {
    it('ranks the facilities of the region by revenue, with growth, digital share, ticket and rates', async () => {
        setState(ctx, { values: ALL_VALUES })
        const table = await openFacilities(OU.BKO, '202610')
        // CHU Gabriel Touré 2 000 000 > HDB 1 500 000 > CSRéf IV 100 000 > CHU du Point G (no data)
        expect(rowOrder(table)).toEqual([OU.CHUGT, OU.HDB, OU.CSREF4, OU.CHUPG])
        expect(screen.queryByTestId(`facility-row-${OU.HRK}`)).toBeNull() // Kayes is not under Bamako
        expect(cell(OU.HDB, 'gross')).toBe('1 500 000 FCFA')
        expect(cell(OU.HDB, 'previousGrowth')).toBe('▲+25 %')
        expect(cell(OU.HDB, 'yearGrowth')).toBe('▲+50 %')
        expect(cell(OU.HDB, 'digitalShare')).toBe('60 %')
        expect(cell(OU.HDB, 'averageTicket')).toBe('7 500 FCFA')
        expect(cell(OU.HDB, 'refundRate')).toBe('2 %') // 30 000 / 1 500 000
        expect(cell(OU.HDB, 'failureRate')).toBe('7 %')
        expect(cell(OU.CHUGT, 'previousGrowth')).toBe('▼-20 %')
        expect(screen.getByTestId(`facility-${OU.CHUGT}-previousGrowth`)).toHaveAttribute('data-tone', 'bad')
        expect(cell(OU.CHUGT, 'yearGrowth')).toBe('n.d.') // nothing in October 2025
        expect(cell(OU.CSREF4, 'digitalShare')).toBe('100 %') // Moov Money only
        expect(cell(OU.CHUPG, 'gross')).toBe('n.d.')
        expect(norm(screen.getByTestId('facilities-count').textContent)).toBe('4 établissements')
    })

    it('asks one analytics request: facilities as a level under the selection, three periods', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openFacilities(OU.BKO, '202610')
        const reqs = analyticsRequests(ctx.log)
        expect(reqs).toHaveLength(1)
        const dims = reqs[0].params.getAll('dimension').join(',')
        expect(dims).toContain(`ou:${OU.BKO};LEVEL-3`)
        expect(dims).toContain('pe:202610;202609;202510')
        expect(dims).toContain(`${UIDS.channelCategory}:`)
    })

    it('a quarter is asked as quarters', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openFacilities(OU.BKO, '2026Q3')
        expect(analyticsRequests(ctx.log)[0].params.getAll('dimension').join(',')).toContain('pe:2026Q3;2026Q2;2025Q3')
        // July–September: only September has data (HDB 1 200 000, CHUGT 2 500 000)
        expect(cell(OU.CHUGT, 'gross')).toBe('2 500 000 FCFA')
        expect(cell(OU.HDB, 'gross')).toBe('1 200 000 FCFA')
    })

    it('sorts by a column, both ways, n/a last', async () => {
        setState(ctx, { values: ALL_VALUES })
        const table = await openFacilities(OU.BKO, '202610')
        const sortButton = () => screen.getByTitle('Trier par vs mois précédent')
        fireEvent.click(sortButton()) // default → ascending: −20 %, +25 %, then n/a by name
        await waitFor(() => expect(rowOrder(table)).toEqual([OU.CHUGT, OU.HDB, OU.CHUPG, OU.CSREF4]))
        fireEvent.click(sortButton()) // ascending → descending: n/a still last
        await waitFor(() => expect(rowOrder(table)).toEqual([OU.HDB, OU.CHUGT, OU.CHUPG, OU.CSREF4]))
        fireEvent.click(sortButton()) // descending → back to revenue, largest first
        await waitFor(() => expect(rowOrder(table)).toEqual([OU.CHUGT, OU.HDB, OU.CSREF4, OU.CHUPG]))
    })

    it('clicking a facility opens its overview', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openFacilities(OU.BKO, '202610')
        fireEvent.click(screen.getByTestId(`facility-${OU.HDB}-name`))
        await waitFor(() => expect(window.location.hash).toBe(`#/overview?ou=${OU.HDB}&pe=202610`))
        expect(norm((await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })).textContent)).toBe('1 500 000 FCFA')
        expect(screen.getByTestId('org-unit-button')).toHaveTextContent('Hôpital de Dermatologie de Bamako')
    })

    it('exports the table as CSV, with formula-looking names escaped', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openFacilities(OU.BKO, '202610')
        const blobs: Blob[] = []
        const createObjectURL = jest.fn((b: Blob) => {
            blobs.push(b)
            return 'blob:test'
        })
        Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() })
        const clicked: HTMLAnchorElement[] = []
        const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
            clicked.push(this)
        })
        fireEvent.click(screen.getByTestId('facilities-export-csv'))
        click.mockRestore()
        expect(clicked).toHaveLength(1)
        expect(clicked[0].download).toBe('établissements-Bamako-202610.csv')
        const csv = (await blobs[0].text()).replace(/^\ufeff/, '')
        const lines = csv.trimEnd().split('\r\n')
        expect(lines[0]).toBe(
            'Établissement;Recettes encaissées (FCFA);vs mois précédent (%);vs même période N-1 (%);Part numérique (valeur) (%);Panier moyen (FCFA);Taux de remboursement (%);Taux de paiements échoués (%)'
        )
        expect(lines[1]).toBe('CHU Gabriel Touré;2000000;-20;;0;5000;0;0')
        expect(lines[2]).toBe('Hôpital de Dermatologie de Bamako;1500000;25;50;60;7500;2;7')
        expect(lines).toHaveLength(5)
    })

    it('empty state when no facility of the selection has data for the period', async () => {
        setState(ctx, { values: ALL_VALUES })
        window.location.hash = `#/facilities?ou=${OU.BKO}&pe=202607`
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('empty-state', {}, { timeout: 4000 })).toHaveTextContent(
            'Aucune donnée pour cette période — le pont a-t-il été exécuté ?'
        )
    })

    it('error states: tables not generated, row limit', async () => {
        setState(ctx, { fail: { analytics: ERRORS.analyticsTablesMissing } })
        window.location.hash = `#/facilities?ou=${OU.BKO}&pe=202610`
        const first = renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('error-state', {}, { timeout: 4000 })).toHaveAttribute('data-error-kind', 'analytics-tables-missing')
        first.unmount()
        setState(ctx, { fail: { analytics: ERRORS.maxLimit } })
        renderWithDhis2(<AppRoot now={NOW} />)
        const err = await screen.findByTestId('error-state', {}, { timeout: 4000 })
        expect(err).toHaveAttribute('data-error-kind', 'too-many-rows')
        expect(err).toHaveTextContent('Choisissez une unité d\'organisation plus petite ou une période plus courte.')
    })
})
