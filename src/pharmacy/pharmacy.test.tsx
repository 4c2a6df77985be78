import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import React from 'react'
import type { PublishedRow, StockReconcileEntry } from '@recettes/contract'
import { AppRoot } from '../app/app-root'
import { ERRORS, UIDS } from '../test-utils/fake-dhis2'
import { norm, renderWithDhis2 } from '../test-utils/render'
import { ALL_VALUES, NOW } from '../test-utils/scenario'
import { LMIS, lmisMapping, OU, setupPharmacyDhis2, type LmisProduct, type LmisValue, type LmisVar } from './pharmacy-fake'

const ctx = setupPharmacyDhis2()
const text = (testId: string) => norm(screen.getByTestId(testId).textContent)

/** A published row: what `stock reconcile` writes for one facility × product × month. */
const row = (product: string, p: Partial<PublishedRow>): PublishedRow => ({
    product,
    ledgerCodes: [product],
    sold: 0,
    soldLmisUnits: 0,
    factor: 1,
    lmisUnit: null,
    amountXof: 0,
    ledgerLines: 10,
    dispensed: null,
    stockOnHand: null,
    stockOutDays: null,
    openingBalance: null,
    received: null,
    gapPercent: null,
    flags: [],
    ...p,
})

const entry = (orgUnit: string, facility: string, months: Record<string, PublishedRow[]>): StockReconcileEntry => ({
    kind: 'stock-reconcile',
    schemaVersion: 1,
    orgUnit,
    facility,
    updatedAt: '2026-11-23T06:00:00.000Z',
    dataSet: 'SIGL_PHARMA_MENSUEL',
    gapThresholdPercent: 10,
    lmis: lmisMapping(['AMOX500C', 'ARTLUM20', 'PARA500T']),
    months: Object.entries(months).map(([month, rows]) => ({ month, lmisRead: true, reconciledAt: '2026-11-23T06:00:00.000Z', rows })),
})

// The Bamako dermatology hospital: an antimalarial stock-out in October while sales went on, and a
// dermatology cream the national LMIS does not list.
const HDB_ENTRY = entry(OU.HDB, 'ML-BKO-HDB', {
    '2026-09': [row('AMOX500C', { sold: 700, soldLmisUnits: 700, lmisUnit: 'gélule', amountXof: 52_500, dispensed: 720, stockOnHand: 1200, stockOutDays: 0, gapPercent: 2.8 })],
    '2026-10': [
        row('AMOX500C', { sold: 812, soldLmisUnits: 812, lmisUnit: 'gélule', amountXof: 60_900, dispensed: 812, stockOnHand: 1400, stockOutDays: 0, openingBalance: 1200, received: 1000, gapPercent: 0 }),
        row('ARTLUM20', { sold: 750, soldLmisUnits: 750, lmisUnit: 'comprimé', amountXof: 93_750, dispensed: 750, stockOnHand: 156, stockOutDays: 6, openingBalance: 233, received: 700, gapPercent: 0, flags: ['SALE_DURING_STOCKOUT'] }),
        row('HYDROC1', { sold: 40, soldLmisUnits: null, factor: null, amountXof: 50_000, flags: ['UNMAPPED_PRODUCT'] }),
    ],
})
// CHU Gabriel Touré: a September paracetamol report filled in before the month ended.
const CHUGT_ENTRY = entry(OU.CHUGT, 'ML-BKO-CHUGT', {
    '2026-09': [row('PARA500T', { sold: 408, soldLmisUnits: 408, lmisUnit: 'comprimé', amountXof: 10_200, dispensed: 257, stockOnHand: 300, stockOutDays: 0, gapPercent: 58.8, flags: ['SALES_DISPENSED_GAP'] })],
    '2026-10': [row('AMOX500C', { sold: 300, soldLmisUnits: 300, lmisUnit: 'gélule', amountXof: 22_500, dispensed: 310, stockOnHand: 500, stockOutDays: 0, gapPercent: 3.2 })],
})

const v = (product: LmisProduct, pe: string, ou: string, figures: Partial<Record<LmisVar, number>>): LmisValue[] =>
    Object.entries(figures).map(([variable, value]) => ({ product, variable: variable as LmisVar, pe, ou, value: value! }))

// The LMIS data set as DHIS2 holds it (raw facility values).
const LMIS_VALUES: LmisValue[] = [
    ...v('AMOX500C', '202609', OU.HDB, { dispensed: 720, stockOnHand: 1200, stockOutDays: 0 }),
    ...v('AMOX500C', '202610', OU.HDB, { dispensed: 812, stockOnHand: 1400, stockOutDays: 0, openingBalance: 1200, received: 1000 }),
    ...v('ARTLUM20', '202610', OU.HDB, { dispensed: 750, stockOnHand: 156, stockOutDays: 6, openingBalance: 233, received: 700 }),
    ...v('PARA500T', '202609', OU.CHUGT, { dispensed: 257, stockOnHand: 300, stockOutDays: 0 }),
    ...v('AMOX500C', '202610', OU.CHUGT, { dispensed: 310, stockOnHand: 500, stockOutDays: 0 }),
    // Reported by Gabriel Touré, not sold there through the cash register this month
    ...v('ARTLUM20', '202610', OU.CHUGT, { dispensed: 200, stockOnHand: 90, stockOutDays: 0 }),
]

function fullScenario() {
    ctx.state.base = { ...ctx.state.base, values: ALL_VALUES }
    ctx.state.entries = [
        { key: `stock-reconcile-${OU.HDB}`, value: HDB_ENTRY },
        { key: `stock-reconcile-${OU.CHUGT}`, value: CHUGT_ENTRY },
        // Run summaries of the freshness view live in the same namespace.
        { key: `facility-${OU.HDB}`, value: { orgUnit: OU.HDB, lastRunAt: '2026-11-23T06:00:00Z' } },
    ]
    ctx.state.lmis = LMIS_VALUES
}

async function openPharmacy(ou: string, pe: string) {
    window.location.hash = `#/pharmacy?ou=${ou}&pe=${pe}`
    renderWithDhis2(<AppRoot now={NOW} />)
    return screen.findByTestId('pharmacy-products', {}, { timeout: 4000 })
}

describe('Pharmacie et stock', () => {
    it('one facility, one month: revenue, sales against the LMIS, and the stock-out sale flagged', async () => {
        fullScenario()
        await openPharmacy(OU.HDB, '202610')
        expect(screen.getByTestId('tab-pharmacy')).toHaveTextContent('Pharmacie et stock')
        // PAYREV_GROSS × Pharmacie, October 2026, HDB: 200 000 (cash)
        expect(text('pharmacy-kpi-revenue-value')).toBe('200 000 FCFA')
        expect(text('pharmacy-kpi-flagged-value')).toBe('1')
        expect(text('pharmacy-kpi-stockout-value')).toBe('6')

        expect(text('pharmacy-AMOX500C-amount')).toBe('60 900 FCFA')
        expect(text('pharmacy-AMOX500C-sold')).toBe('812 gélule')
        expect(text('pharmacy-AMOX500C-dispensed')).toBe('812')
        expect(text('pharmacy-AMOX500C-gap')).toBe('0 %')
        expect(text('pharmacy-AMOX500C-stock')).toBe('1 400')
        expect(text('pharmacy-AMOX500C-stockout')).toBe('0')
        expect(text('pharmacy-AMOX500C-flags')).toBe('')

        const art = screen.getByTestId('pharmacy-product-ARTLUM20')
        expect(art).toHaveTextContent('Artéméther-luméfantrine 20/120 mg comprimé')
        expect(text('pharmacy-ARTLUM20-stockout')).toBe('6')
        expect(text('pharmacy-ARTLUM20-stock')).toBe('156')
        expect(text('pharmacy-ARTLUM20-flags')).toBe('Vendu pendant une rupture')

        // Not in the LMIS: sales only, and said so
        expect(text('pharmacy-HYDROC1-sold')).toBe('40')
        expect(text('pharmacy-HYDROC1-dispensed')).toBe('—')
        expect(text('pharmacy-HYDROC1-flags')).toBe('Sans correspondance LMIS')
        expect(screen.getByTestId('pharmacy-unmapped')).toHaveTextContent('HYDROC1')

        // Products by sales, largest first
        const order = within(screen.getByTestId('pharmacy-products'))
            .getAllByTestId(/^pharmacy-product-/)
            .map((r) => r.getAttribute('data-test'))
        expect(order).toEqual(['pharmacy-product-ARTLUM20', 'pharmacy-product-AMOX500C', 'pharmacy-product-HYDROC1'])

        const flag = screen.getByTestId('pharmacy-flag-ML-BKO-HDB-ARTLUM20-2026-10')
        expect(flag).toHaveTextContent('Hôpital de Dermatologie de Bamako')
        expect(flag).toHaveTextContent('Vendu pendant une rupture')
        // opening 233 + received 700
        expect(norm(flag.textContent)).toContain('933')
        expect(within(screen.getByTestId('pharmacy-flags')).getAllByTestId(/^pharmacy-flag-/)).toHaveLength(1)
        expect(screen.getByTestId('pharmacy-revenue-chart')).toHaveTextContent('Recettes de la pharmacie par mois')
    })

    it('a region over three months: facilities add up, stock on hand is the last month’s, flags newest first', async () => {
        fullScenario()
        await openPharmacy(OU.BKO, 'LAST_3_MONTHS') // August–October 2026
        // AMOX500C: sold 700 + 812 + 300 = 1 812; dispensed 720 + 812 + 310 = 1 842; gap 30 / 1 842 = 1,6 %
        expect(text('pharmacy-AMOX500C-sold')).toBe('1 812 gélule')
        expect(text('pharmacy-AMOX500C-dispensed')).toBe('1 842')
        expect(text('pharmacy-AMOX500C-gap')).toBe('1,6 %')
        // stock on hand at the end of October, both hospitals: 1 400 + 500
        expect(text('pharmacy-AMOX500C-stock')).toBe('1 900oct. 2026')
        // ARTLUM20: sold 750 (HDB), dispensed 750 + 200 (Gabriel Touré reports without cash sales)
        expect(text('pharmacy-ARTLUM20-dispensed')).toBe('950')
        expect(text('pharmacy-ARTLUM20-gap')).toBe('21,1 %')
        // PARA500T at Gabriel Touré in September: 408 sold, 257 dispensed → 151 / 257 = 58,8 %
        expect(text('pharmacy-PARA500T-gap')).toBe('58,8 %')
        expect(text('pharmacy-PARA500T-flags')).toBe('Écart ventes / quantité distribuée')
        expect(text('pharmacy-kpi-flagged-value')).toBe('2')
        const flags = within(screen.getByTestId('pharmacy-flags'))
            .getAllByTestId(/^pharmacy-flag-/)
            .map((r) => r.getAttribute('data-test'))
        expect(flags).toEqual(['pharmacy-flag-ML-BKO-HDB-ARTLUM20-2026-10', 'pharmacy-flag-ML-BKO-CHUGT-PARA500T-2026-09'])
        expect(screen.getByTestId('pharmacy-flag-ML-BKO-CHUGT-PARA500T-2026-09')).toHaveTextContent('CHU Gabriel Touré')
    })

    it('asks the data store for the facilities under the selection, and analytics for the published LMIS operands', async () => {
        fullScenario()
        await openPharmacy(OU.HDB, '202610')
        const store = ctx.log.find((r) => r.resource === 'dataStore/payrev')!
        expect(store.params.get('fields')).toBe('.')
        expect(store.params.getAll('filter')).toEqual(['kind:eq:stock-reconcile', `orgUnit:in:[${OU.HDB}]`])
        const analytics = ctx.log.filter((r) => r.resource === 'analytics')
        const lmis = analytics.find((r) => r.params.getAll('dimension').join(',').includes(`${LMIS.de.AMOX500C}.`))!
        const dx = lmis.params.getAll('dimension').join(',').match(/dx:([^,]*)/)![1].split(';')
        // three products × dispensed, stock on hand, stock-out days
        expect(dx).toHaveLength(9)
        expect(dx).toContain(`${LMIS.de.ARTLUM20}.${LMIS.coc.stockOutDays}`)
        expect(lmis.params.getAll('filter')).toEqual([`ou:${OU.HDB}`])
        const revenue = analytics.find((r) => r.params.getAll('dimension').join(',').includes(UIDS.serviceCategory))!
        expect(revenue.params.getAll('dimension').join(',')).toContain(`${UIDS.serviceCategory}:${UIDS.service.PHARMACY}`)
    })

    it('in English: labels and numbers follow the language, money stays in FCFA', async () => {
        fullScenario()
        await openPharmacy(OU.HDB, '202610')
        fireEvent.click(within(screen.getByTestId('language-switch')).getByText('English'))
        await waitFor(() => expect(screen.getByTestId('tab-pharmacy')).toHaveTextContent('Pharmacy and stock'))
        expect(screen.getByTestId('pharmacy-view')).toHaveTextContent('Products — sales against the LMIS report')
        // Product names are DHIS2's, in the user's database locale
        expect(screen.getByTestId('pharmacy-product-ARTLUM20')).toHaveTextContent('Artéméther-luméfantrine 20/120 mg comprimé')
        expect(text('pharmacy-ARTLUM20-flags')).toBe('Sold during a stock-out')
        expect(text('pharmacy-HYDROC1-flags')).toBe('No LMIS mapping')
        expect(text('pharmacy-kpi-revenue-value')).toBe('200 000 FCFA')
        expect(text('pharmacy-AMOX500C-stock')).toBe('1,400')
    })

    it('a month without reconciliation says so, and shows the drug revenue', async () => {
        fullScenario()
        window.location.hash = `#/pharmacy?ou=${OU.HDB}&pe=202610`
        ctx.state.entries = null // the bridge never wrote to the data store
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('pharmacy-no-reconciliation', {}, { timeout: 4000 })).toHaveTextContent('revenue-bridge stock reconcile')
        expect(text('pharmacy-kpi-revenue-value')).toBe('200 000 FCFA')
        expect(screen.queryByTestId('pharmacy-products')).toBeNull()
        expect(ctx.log.some((r) => r.resource === 'analytics' && r.params.getAll('dimension').join(',').includes(LMIS.de.AMOX500C))).toBe(false)
    })

    it('empty, unreadable, error and loading states', async () => {
        window.location.hash = `#/pharmacy?ou=${OU.HDB}&pe=202610`
        const first = renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('empty-state', {}, { timeout: 4000 })).toHaveTextContent('le pont a-t-il été exécuté ?')
        first.unmount()

        fullScenario()
        ctx.state.entries!.push({ key: `stock-reconcile-${OU.CHUPG}`, value: { kind: 'stock-reconcile', orgUnit: OU.HDB, months: 'oops' } })
        const second = renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('pharmacy-invalid-entries', {}, { timeout: 4000 })).toHaveTextContent(`stock-reconcile-${OU.CHUPG}`)
        second.unmount()

        ctx.state.base = { ...ctx.state.base, fail: { analytics: ERRORS.network } }
        const third = renderWithDhis2(<AppRoot now={NOW} />)
        const err = await screen.findByTestId('error-state', {}, { timeout: 4000 })
        expect(err).toHaveTextContent('Le serveur DHIS2 est injoignable.')
        ctx.state.base = { ...ctx.state.base, fail: {} }
        screen.getByTestId('retry-button').click()
        expect(norm((await screen.findByTestId('pharmacy-ARTLUM20-stockout', {}, { timeout: 4000 })).textContent)).toBe('6')
        third.unmount()

        ctx.state.base = { ...ctx.state.base, delay: { dataStore: 300 } }
        renderWithDhis2(<AppRoot now={NOW} />)
        const section = await screen.findByTestId('pharmacy-view', {}, { timeout: 4000 })
        expect(within(section).getByTestId('loading-state')).toHaveTextContent('Chargement…')
        await waitFor(() => expect(within(section).queryByTestId('loading-state')).toBeNull(), { timeout: 4000 })
    })
})
