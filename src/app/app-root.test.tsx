import i18n from '@dhis2/d2-i18n'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import React from 'react'
import { ERRORS, OU } from '../test-utils/fake-dhis2'
import { analyticsRequests, norm, renderWithDhis2, setState, setupFakeDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'
import { AppRoot } from './app-root'
import { LANG_STORAGE_KEY } from './language'

const ctx = setupFakeDhis2()

const openSelect = async (testId: string) =>
    fireEvent.click(within(await screen.findByTestId(testId, {}, { timeout: 4000 })).getByTestId('dhis2-uicore-select-input'))

describe('start-up', () => {
    it('resolves the codes with one metadata query (four resources) and opens the overview of the user’s root, last month', async () => {
        setState(ctx, { values: ALL_VALUES })
        renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(ctx.log.map((r) => r.resource).filter((r) => r !== 'analytics').sort()).toEqual(['categories', 'dataElements', 'dataSets', 'me'])
        expect(ctx.log.find((r) => r.resource === 'dataElements')!.params.get('filter')).toBe(
            'code:in:[PAYREV_GROSS,PAYREV_REFUNDS,PAYREV_PAYMENTS,PAYREV_FAILED]'
        )
        expect(screen.getByTestId('org-unit-button')).toHaveTextContent('Mali')
        // LAST_MONTH on 23 November 2026 = October 2026; all of Mali: Bamako 3 600 000 + Kayes 7 777 777
        expect(norm(screen.getByTestId('kpi-gross-value').textContent)).toBe('11 377 777 FCFA')
        expect(screen.getByTestId('overview-view')).toHaveTextContent('Mali · Le mois dernier')
    })

    it('names the missing metadata when the bridge’s setup never ran', async () => {
        setState(ctx, { missingCodes: ['PAYREV_FAILED', 'PAYREV_SERVICE'] })
        renderWithDhis2(<AppRoot now={NOW} />)
        const box = await screen.findByTestId('metadata-missing', {}, { timeout: 4000 })
        expect(box).toHaveTextContent('PAYREV_FAILED, PAYREV_SERVICE')
        expect(box).toHaveTextContent('revenue-bridge setup')
        expect(analyticsRequests(ctx.log)).toHaveLength(0)
    })

    it('an error on the metadata query is shown, not a blank page', async () => {
        setState(ctx, { fail: { dataElements: ERRORS.forbidden } })
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('error-state', {}, { timeout: 4000 })).toHaveAttribute('data-error-kind', 'no-access')
    })
})

describe('language', () => {
    it('French when the DHIS2 locale is French', async () => {
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Recettes hospitalières')
        expect(await screen.findByTestId('tab-overview', {}, { timeout: 4000 })).toHaveTextContent("Vue d'ensemble")
        expect(screen.getByTestId('tab-freshness')).toHaveTextContent('Fraîcheur des données')
    })

    it('English when the DHIS2 locale is English', async () => {
        await i18n.changeLanguage('en')
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Hospital revenue')
        expect(screen.getByTestId('app-root')).toHaveAttribute('data-lang', 'en')
    })

    it('French for a locale the app has no translation for (French first)', async () => {
        await i18n.changeLanguage('pt')
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Recettes hospitalières')
    })

    it('the switch changes the language and the number format for the session, and money stays in FCFA', async () => {
        setState(ctx, { values: ALL_VALUES })
        window.location.hash = `#/overview?ou=${OU.HDB}&pe=202610`
        const { unmount } = renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(norm(screen.getByTestId('kpi-payments-previous').textContent)).toBe('▲+33,3 %')
        fireEvent.click(within(screen.getByTestId('language-switch')).getByText('English'))
        expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Hospital revenue')
        expect(screen.getByTestId('tab-channels')).toHaveTextContent('Payment channels')
        expect(norm(screen.getByTestId('kpi-payments-previous').textContent)).toBe('▲+33.3%')
        expect(norm(screen.getByTestId('kpi-gross-value').textContent)).toBe('1 500 000 FCFA')
        expect(screen.getByTestId('overview-view')).toHaveTextContent('October 2026')
        expect(window.sessionStorage.getItem(LANG_STORAGE_KEY)).toBe('en')
        unmount()
        // a reload in the same session keeps the choice over the DHIS2 locale (still French)
        await i18n.changeLanguage('fr')
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('Hospital revenue')
    })
})

describe('context selection', () => {
    it('the period picker changes the period in the URL and the figures', async () => {
        setState(ctx, { values: ALL_VALUES })
        window.location.hash = `#/overview?ou=${OU.HDB}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        await openSelect('period-select')
        fireEvent.click(await screen.findByText('septembre 2026'))
        await waitFor(() => expect(window.location.hash).toBe(`#/overview?ou=${OU.HDB}&pe=202609`))
        await waitFor(() => expect(norm(screen.getByTestId('kpi-gross-value').textContent)).toBe('1 200 000 FCFA'))
        // switching to quarters selects the last complete quarter
        await openSelect('period-kind-select')
        fireEvent.click(await screen.findByText('Trimestre'))
        await waitFor(() => expect(window.location.hash).toBe(`#/overview?ou=${OU.HDB}&pe=2026Q3`))
        expect(screen.getByTestId('overview-view')).toHaveTextContent('T3 2026')
    })

    it('the org unit tree (user’s units only) selects a unit', async () => {
        setState(ctx, { values: ALL_VALUES, userRoots: [OU.BKO] })
        renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(screen.getByTestId('org-unit-button')).toHaveTextContent('Bamako')
        fireEvent.click(screen.getByTestId('org-unit-button'))
        const tree = await screen.findByTestId('org-unit-tree')
        // the tree starts at the user's unit: Mali is not offered
        expect(within(tree).queryByText('Mali')).toBeNull()
        // the tree asks the server for the children itself (organisationUnits/<id>?fields=…)
        fireEvent.click((await within(tree).findAllByTestId('org-unit-tree-node-toggle', {}, { timeout: 4000 }))[0])
        fireEvent.click(await within(tree).findByText('CHU Gabriel Touré'))
        await waitFor(() => expect(window.location.hash).toContain(`ou=${OU.CHUGT}`))
        await waitFor(() => expect(norm(screen.getByTestId('kpi-gross-value').textContent)).toBe('2 000 000 FCFA'))
        expect(screen.getByTestId('org-unit-button')).toHaveTextContent('CHU Gabriel Touré')
    })

    it('the tabs switch views and keep the selection', async () => {
        setState(ctx, { values: ALL_VALUES, dataStore: [] })
        window.location.hash = `#/overview?ou=${OU.BKO}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        fireEvent.click(screen.getByTestId('tab-facilities'))
        await screen.findByTestId('facilities-table', {}, { timeout: 4000 })
        expect(window.location.hash).toBe(`#/facilities?ou=${OU.BKO}&pe=202610`)
        fireEvent.click(screen.getByTestId('tab-channels'))
        await screen.findByTestId('channels-table', {}, { timeout: 4000 })
        fireEvent.click(screen.getByTestId('tab-freshness'))
        await screen.findByTestId('freshness-table', {}, { timeout: 4000 })
    })

    it('a unit named in the URL that the app does not know is looked up', async () => {
        setState(ctx, { values: ALL_VALUES })
        window.location.hash = `#/overview?ou=${OU.KAY}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        await screen.findByTestId('kpi-gross-value', {}, { timeout: 4000 })
        expect(screen.getByTestId('org-unit-button')).toHaveTextContent('Kayes')
        expect(norm(screen.getByTestId('kpi-gross-value').textContent)).toBe('7 777 777 FCFA')
        // Asked once: the early ask (beside the metadata) answers the dashboard's lookup too.
        expect(ctx.log.filter((r) => r.resource === `organisationUnits/${OU.KAY}`)).toHaveLength(1)
    })
})

describe('loading states', () => {
    it.each([
        ['facilities', 'analytics', 'facilities-view'],
        ['channels', 'analytics', 'channels-view'],
        ['freshness', 'dataStore', 'freshness-view'],
    ])('%s shows a loader while the server answers', async (view, resource, testId) => {
        setState(ctx, { values: ALL_VALUES, dataStore: [], delay: { [resource]: 300 } })
        window.location.hash = `#/${view}?ou=${OU.BKO}&pe=202610`
        renderWithDhis2(<AppRoot now={NOW} />)
        const section = await screen.findByTestId(testId, {}, { timeout: 4000 })
        expect(within(section).getByTestId('loading-state')).toHaveTextContent('Chargement…')
        await waitFor(() => expect(within(section).queryByTestId('loading-state')).toBeNull(), { timeout: 4000 })
    })
})
