import { screen, waitFor } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../app/app-root'
import { clearEarly } from '../shared/data/early-answers'
import { ERRORS, OU } from '../test-utils/fake-dhis2'
import { analyticsRequests, BASE, norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'
import { startEarly } from './early-start'

const ctx = setupFakeDhis2()
beforeEach(() => clearEarly())

const resources = () => ctx.log.map((r) => `${r.versioned ? 'app' : 'early'} ${r.resource}`).sort()

describe('the early start (asked while the platform’s shell loads)', () => {
    it('asks the overview’s metadata and analytics before the app runs, and the app asks none of them again', async () => {
        setState(ctx, { values: ALL_VALUES })
        await startEarly(BASE, '#/overview', NOW)
        await waitFor(() => expect(analyticsRequests(ctx.log)).toHaveLength(2))
        renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(norm(screen.getByTestId('kpi-gross-value').textContent)).toBe('11 377 777 FCFA')
        expect(resources()).toEqual(['early analytics', 'early analytics', 'early categories', 'early dataElements', 'early dataSets', 'early me'])
    })

    it('asks the org unit a link names; on another view, the metadata only', async () => {
        setState(ctx, { values: ALL_VALUES })
        await startEarly(BASE, `#/facilities?ou=${OU.BKO}`, NOW)
        await waitFor(() =>
            expect(resources()).toEqual(['early categories', 'early dataElements', 'early dataSets', 'early me', `early organisationUnits/${OU.BKO}`])
        )
    })

    it('a failed early answer is asked again by the app, which shows the error as before', async () => {
        setState(ctx, { fail: { dataElements: ERRORS.forbidden } })
        await startEarly(BASE, '#/overview', NOW)
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('error-state', {}, { timeout: 4000 })).toHaveAttribute('data-error-kind', 'no-access')
        expect(resources().filter((r) => r.endsWith('dataElements'))).toEqual(['app dataElements', 'early dataElements'])
        expect(analyticsRequests(ctx.log)).toHaveLength(0)
    })

    it('does nothing without a server address (the page’s placeholder left as is)', async () => {
        await startEarly('__DHIS2_BASE_URL__', '#/overview', NOW)
        await startEarly(null, '#/overview', NOW)
        expect(ctx.log).toHaveLength(0)
    })
})
