import { screen, waitFor } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../app/app-root'
import { ERRORS, OU, UIDS } from '../test-utils/fake-dhis2'
import { analyticsRequests, norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'

const ctx = setupFakeDhis2()
const text = (testId: string) => norm(screen.getByTestId(testId).textContent)

async function openChannels(ou: string, pe: string) {
    window.location.hash = `#/channels?ou=${ou}&pe=${pe}`
    renderWithDhis2(<AppRoot now={NOW} />)
    return screen.findByTestId('channels-table', {}, { timeout: 4000 })
}

describe('Canaux de paiement', () => {
    it('per channel: value, count, shares, failure rate, ticket and growth', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openChannels(OU.HDB, '202610')
        // Orange Money, October 2026: 450 000 of 1 500 000; 60 of 200 payments; 12 failed of 72 attempts
        expect(text('channel-orange-money-gross')).toBe('450 000 FCFA')
        expect(text('channel-orange-money-gross-share')).toBe('30 %')
        expect(text('channel-orange-money-payments')).toBe('60')
        expect(text('channel-orange-money-payments-share')).toBe('30 %')
        expect(text('channel-orange-money-failure-rate')).toBe('16,7 %')
        expect(text('channel-orange-money-average-ticket')).toBe('7 500 FCFA')
        expect(text('channel-orange-money-previous')).toBe('▲+125 %') // vs 200 000 in September
        expect(text('channel-orange-money-year')).toBe('n.d.') // no Orange Money in October 2025
        // Cash: 600 000 (40 %), vs 1 000 000 in September (−40 %)
        expect(text('channel-cash-gross-share')).toBe('40 %')
        expect(text('channel-cash-previous')).toBe('▼-40 %')
        expect(text('channel-cash-failure-rate')).toBe('0 %')
        // Sama Money: nothing at all
        expect(text('channel-sama-money-gross')).toBe('0 FCFA')
        expect(text('channel-sama-money-failure-rate')).toBe('n.d.')
        expect(text('channel-sama-money-average-ticket')).toBe('n.d.')
    })

    it('draws value and count by channel over time', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openChannels(OU.HDB, '202610')
        expect(screen.getByTestId('channels-value-chart')).toHaveTextContent('Recettes encaissées par canal et par mois')
        expect(screen.getByTestId('channels-count-chart')).toHaveTextContent('Paiements réussis par canal et par mois')
        await waitFor(() => expect(screen.getByTestId('channels-count-chart').querySelectorAll('.recharts-bar').length).toBe(6))
    })

    it('asks one analytics request, without the service category', async () => {
        setState(ctx, { values: ALL_VALUES })
        await openChannels(OU.HDB, '202610')
        const reqs = analyticsRequests(ctx.log)
        expect(reqs).toHaveLength(1)
        const dims = reqs[0].params.getAll('dimension').join(',')
        expect(dims).toContain(UIDS.channelCategory)
        expect(dims).not.toContain(UIDS.serviceCategory)
    })

    it('empty and error states', async () => {
        window.location.hash = `#/channels?ou=${OU.HDB}&pe=202610`
        const first = renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('empty-state', {}, { timeout: 4000 })).toHaveTextContent('le pont a-t-il été exécuté ?')
        first.unmount()
        setState(ctx, { fail: { analytics: ERRORS.network } })
        renderWithDhis2(<AppRoot now={NOW} />)
        const err = await screen.findByTestId('error-state', {}, { timeout: 4000 })
        expect(err).toHaveAttribute('data-error-kind', 'network')
        expect(err).toHaveTextContent('Le serveur DHIS2 est injoignable.')
    })

    it('“try again” asks again and shows the answer once the server is back', async () => {
        setState(ctx, { values: ALL_VALUES, fail: { analytics: ERRORS.analyticsTablesMissing } })
        window.location.hash = `#/channels?ou=${OU.HDB}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        const retry = await screen.findByTestId('retry-button', {}, { timeout: 4000 })
        setState(ctx, { fail: {} })
        retry.click()
        expect(norm((await screen.findByTestId('channel-cash-gross', {}, { timeout: 4000 })).textContent)).toBe('600 000 FCFA')
    })
})
