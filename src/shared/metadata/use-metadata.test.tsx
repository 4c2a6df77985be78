import { screen } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../../app/app-root'
import { BASE, norm, renderWithDhis2, setState, setupFakeDhis2 } from '../../test-utils/render'
import { OU } from '../../test-utils/fake-dhis2'
import { ALL_VALUES, NOW } from '../../test-utils/scenario'

const ctx = setupFakeDhis2()
const USER = { id: 'xE7jOejl9FI' }
const KEY = `payrev.metadata.v1|${BASE}|${USER.id}`

beforeEach(() => {
    window.localStorage.removeItem(KEY)
    window.localStorage.removeItem(`payrev.orgUnits.v1|${BASE}|${USER.id}`)
})

// A repeat visit on a slow link: the metadata answers of the last visit are kept per server and
// user, so the overview's analytics need not wait for the four metadata requests again.
describe('metadata kept between visits', () => {
    it('keeps the answers of a visit; the next visit shows the overview while the metadata requests are still running', async () => {
        setState(ctx, { values: ALL_VALUES })
        const first = renderWithDhis2(<AppRoot now={NOW} />, undefined, USER)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(JSON.parse(window.localStorage.getItem(KEY)!)).toHaveProperty('dataElements')
        first.unmount()

        // The metadata never answers during this visit: only the kept answers can open the overview.
        setState(ctx, { values: ALL_VALUES, delay: { dataElements: 20_000 } })
        renderWithDhis2(<AppRoot now={NOW} />, undefined, USER)
        const kpi = await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(norm(kpi.textContent)).toBe('11 377 777 FCFA')
        expect(ctx.log.some((r) => r.resource === 'dataElements')).toBe(true)
    })

    it('a region named by the link: its lookup is kept too, so neither request holds up the next visit', async () => {
        setState(ctx, { values: ALL_VALUES })
        window.location.hash = `#/overview?ou=${OU.BKO}`
        const first = renderWithDhis2(<AppRoot now={NOW} />, undefined, USER)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(ctx.log.some((r) => r.resource === `organisationUnits/${OU.BKO}`)).toBe(true)
        first.unmount()

        setState(ctx, { values: ALL_VALUES, delay: { dataElements: 20_000, organisationUnits: 20_000 } })
        renderWithDhis2(<AppRoot now={NOW} />, undefined, USER)
        const kpi = await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        // Bamako's October 2026 (the scenario: 3 600 000 FCFA)
        expect(norm(kpi.textContent)).toBe('3 600 000 FCFA')
    })

    it('another user’s kept answers are not used: the app waits for the server as before', async () => {
        // A complete, valid answer kept by a first visit, then filed under another user: had the
        // app read it, the overview would open at once (as in the first test).
        setState(ctx, { values: ALL_VALUES })
        const first = renderWithDhis2(<AppRoot now={NOW} />, undefined, USER)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        first.unmount()
        const OTHER = `payrev.metadata.v1|${BASE}|someoneElse`
        window.localStorage.setItem(OTHER, window.localStorage.getItem(KEY)!)
        window.localStorage.removeItem(KEY)

        setState(ctx, { values: ALL_VALUES, delay: { dataElements: 20_000 } })
        renderWithDhis2(<AppRoot now={NOW} />, undefined, USER)
        await new Promise((r) => setTimeout(r, 500))
        expect(screen.queryByTestId('kpi-gross-value')).toBeNull()
        expect(window.localStorage.getItem(KEY)).toBeNull()
        window.localStorage.removeItem(OTHER)
    })
})
