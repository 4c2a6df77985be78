import { screen, waitFor, within } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../app/app-root'
import { ERRORS, OU, UIDS } from '../test-utils/fake-dhis2'
import { analyticsRequests, norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'

const ctx = setupFakeDhis2()

const text = (testId: string) => norm(screen.getByTestId(testId).textContent)

async function openOverview(ou: string, pe: string) {
    window.location.hash = `#/overview?ou=${ou}&pe=${pe}`
    renderWithDhis2(<AppRoot now={NOW} />)
    await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
}

describe('Vue d’ensemble', () => {
    it('shows the eight cards with month-over-month, year-over-year and year-to-date changes', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openOverview(OU.HDB, '202610')

        // October 2026 at the Hôpital de Dermatologie (scenario.ts)
        expect(text('kpi-gross-value')).toBe('1 500 000 FCFA')
        expect(text('kpi-gross-previous')).toBe('▲+25 %') // vs 1 200 000 in September
        expect(text('kpi-gross-year')).toBe('▲+50 %') // vs 1 000 000 in October 2025
        expect(text('kpi-gross-ytd')).toBe('3 000 000 FCFA') // Jan 300 000 + Sep + Oct
        expect(text('kpi-gross-ytd-change')).toBe('▲+100 %') // vs 1 500 000 (March + October 2025)
        expect(text('kpi-net-value')).toBe('1 470 000 FCFA') // − 30 000 refunds
        expect(text('kpi-payments-value')).toBe('200')
        expect(text('kpi-payments-previous')).toBe('▲+33,3 %') // 200 vs 150
        expect(text('kpi-average-ticket-value')).toBe('7 500 FCFA') // 1 500 000 / 200
        expect(text('kpi-average-ticket-previous')).toBe('▼-6,3 %') // vs 8 000
        expect(text('kpi-digital-share-value-value')).toBe('60 %') // 900 000 / 1 500 000
        expect(text('kpi-digital-share-value-previous')).toBe('▲+43,3 pts') // vs 16,7 %
        expect(text('kpi-digital-share-count-value')).toBe('40 %') // 80 / 200
        expect(text('kpi-refunds-value')).toBe('30 000 FCFA')
        expect(text('kpi-refunds-previous')).toBe('n.d.') // no refunds in September: division by zero
        expect(text('kpi-failure-rate-value')).toBe('7 %') // 15 / 215 = 6,98 %
        expect(text('kpi-failure-rate-previous')).toBe('▲+0,7 pts') // vs 10 / 160 = 6,25 %

        // An increase of refunds or failures is shown as bad, of revenue as good.
        expect(screen.getByTestId('kpi-failure-rate-previous')).toHaveAttribute('data-tone', 'bad')
        expect(screen.getByTestId('kpi-gross-previous')).toHaveAttribute('data-tone', 'good')
        expect(screen.getByTestId('kpi-average-ticket-previous')).toHaveAttribute('data-tone', 'bad')
    })

    it('shows the mix by service and the 24-month trend stacked by channel', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openOverview(OU.HDB, '202610')
        const mix = screen.getByTestId('service-mix')
        expect(norm(within(mix).getByTestId('service-mix-consultation-value').textContent)).toBe('700 000 FCFA')
        expect(norm(within(mix).getByTestId('service-mix-consultation-share').textContent)).toBe('46,7 %')
        expect(norm(within(mix).getByTestId('service-mix-hospitalisation-share').textContent)).toBe('30 %')
        expect(norm(within(mix).getByTestId('service-mix-other-value').textContent)).toBe('0 FCFA')
        const trend = screen.getByTestId('trend-chart')
        expect(trend).toHaveTextContent('Recettes encaissées par canal de paiement, 24 derniers mois')
        // one bar layer per channel
        await waitFor(() => expect(trend.querySelectorAll('.recharts-bar').length).toBe(6))
    })

    it('asks two analytics requests: the four elements by channel, and gross by service', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openOverview(OU.HDB, '202610')
        const reqs = analyticsRequests(ctx.log)
        expect(reqs).toHaveLength(2)
        const dims = reqs.map((r) => r.params.getAll('dimension').join(','))
        expect(dims.some((d) => d.includes(UIDS.channelCategory) && d.includes(UIDS.de.PAYREV_FAILED) && !d.includes(UIDS.serviceCategory))).toBe(true)
        expect(dims.some((d) => d.includes(UIDS.serviceCategory) && !d.includes(UIDS.de.PAYREV_PAYMENTS))).toBe(true)
        expect(reqs.every((r) => r.params.getAll('filter').includes(`ou:${OU.HDB}`))).toBe(true)
    })

    it('adds up the facilities of a region, and nothing from elsewhere', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openOverview(OU.BKO, '202610')
        // HDB 1 500 000 + CHU Gabriel Touré 2 000 000 + CSRéf IV 100 000 (Kayes excluded)
        expect(text('kpi-gross-value')).toBe('3 600 000 FCFA')
        expect(text('kpi-payments-value')).toBe('610') // 200 + 400 + 10
    })

    it('a relative period: the last quarter', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openOverview(OU.HDB, 'LAST_QUARTER') // July–September 2026 (today is 23 November 2026)
        expect(text('kpi-gross-value')).toBe('1 200 000 FCFA')
        expect(text('kpi-gross-previous')).toBe('n.d.') // April–June 2026: nothing
    })

    it('empty state when the bridge pushed nothing for the period', async () => {
        setState(ctx, { values: ALL_VALUES })
        window.location.hash = `#/overview?ou=${OU.HDB}&pe=202607`
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByText('Aucune donnée pour cette période — le pont a-t-il été exécuté ?', {}, { timeout: 4000 })).toBeInTheDocument()
        expect(screen.queryByTestId('kpi-gross-value')).toBeNull()
        // the history is still drawn
        expect(screen.getByTestId('trend-chart')).toBeInTheDocument()
    })

    it('empty state with no data at all', async () => {
        window.location.hash = `#/overview?ou=${OU.HDB}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('empty-state', {}, { timeout: 4000 })).toHaveTextContent('le pont a-t-il été exécuté ?')
        expect(screen.queryByTestId('trend-chart')).toBeNull()
    })

    it('loading state while analytics answers', async () => {
        setState(ctx, { values: ALL_VALUES, delay: { analytics: 300 } })
        window.location.hash = `#/overview?ou=${OU.HDB}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        const view = await screen.findByTestId('overview-view', {}, { timeout: 4000 })
        expect(within(view).getByTestId('loading-state')).toHaveTextContent('Chargement…')
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
    })

    it('409 E7144: says the analytics tables were never generated', async () => {
        setState(ctx, { values: ALL_VALUES, fail: { analytics: ERRORS.analyticsTablesMissing } })
        window.location.hash = `#/overview?ou=${OU.HDB}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        const err = await screen.findByTestId('error-state', {}, { timeout: 4000 })
        expect(err).toHaveAttribute('data-error-kind', 'analytics-tables-missing')
        expect(err).toHaveTextContent("Les tables d'analyse n'ont pas encore été générées. Demandez à l'administrateur de lancer l'analyse")
        expect(err).toHaveTextContent('E7144')
    })

    it('403 and E7120: says access is refused', async () => {
        for (const failure of [ERRORS.forbidden, ERRORS.orgUnitNotAllowed]) {
            setState(ctx, { fail: { analytics: failure } })
            window.location.hash = `#/overview?ou=${OU.HDB}&pe=202610`
            const { unmount } = renderWithDhis2(<AppRoot now={NOW} />)
            const err = await screen.findByTestId('error-state', {}, { timeout: 4000 })
            expect(err).toHaveAttribute('data-error-kind', 'no-access')
            expect(err).toHaveTextContent("Vous n'avez pas accès à ces données.")
            unmount()
        }
    })
})
