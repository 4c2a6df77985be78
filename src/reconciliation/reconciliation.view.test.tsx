import { fireEvent, screen, within } from '@testing-library/react'
import React from 'react'
import { AppRoot } from '../app/app-root'
import { ERRORS } from '../test-utils/fake-dhis2'
import { norm, renderWithDhis2 } from '../test-utils/render'
import { NOW } from '../test-utils/scenario'
import { OU, RECON_UIDS, setupReconDhis2, type ReconValue } from './recon-fake'

const ctx = setupReconDhis2()

const v = (de: ReconValue['de'], pe: string, ou: string, channel: ReconValue['channel'], value: number): ReconValue => ({ de, pe, ou, channel, value })

// October 2026 as the bridge would have sent it (worked out by hand below).
//   HDB:   Orange Money matched 900 000, ledger only 40 000, statement only 15 000, gap 2 000, fees 9 000;
//          card matched 300 000, fees 6 000; cash short 5 000.  Unreconciled 62 000.
//          Matched share 1 200 000 / (1 200 000 + 40 000 + 15 000 + 2 000) = 1 200 000 / 1 257 000 = 95.5 %.
//   CHUGT: Moov Money matched 500 000, ledger only 100 000; cash over 1 000.  Unreconciled 101 000.
//          Matched share 500 000 / 600 000 = 83.3 %.
//   CSREF4: Sama Money matched 50 000 and nothing else.  Unreconciled 0, matched share 100 %.
//   CHUPG: nothing.  Kayes (HRK): a huge ledger-only figure that must never show under Bamako.
const OCTOBER: ReconValue[] = [
    v('PAYREV_RECON_MATCHED', '202610', OU.HDB, 'ORANGE_MONEY', 900_000),
    v('PAYREV_RECON_LEDGER_ONLY', '202610', OU.HDB, 'ORANGE_MONEY', 40_000),
    v('PAYREV_RECON_STATEMENT_ONLY', '202610', OU.HDB, 'ORANGE_MONEY', 15_000),
    v('PAYREV_RECON_AMOUNT_GAP', '202610', OU.HDB, 'ORANGE_MONEY', 2_000),
    v('PAYREV_FEES', '202610', OU.HDB, 'ORANGE_MONEY', 9_000),
    v('PAYREV_RECON_MATCHED', '202610', OU.HDB, 'CARD', 300_000),
    v('PAYREV_FEES', '202610', OU.HDB, 'CARD', 6_000),
    v('PAYREV_CASH_SHORT', '202610', OU.HDB, null, 5_000),
    v('PAYREV_RECON_MATCHED', '202610', OU.CHUGT, 'MOOV_MONEY', 500_000),
    v('PAYREV_RECON_LEDGER_ONLY', '202610', OU.CHUGT, 'MOOV_MONEY', 100_000),
    v('PAYREV_CASH_OVER', '202610', OU.CHUGT, null, 1_000),
    v('PAYREV_RECON_MATCHED', '202610', OU.CSREF4, 'SAMA_MONEY', 50_000),
    v('PAYREV_RECON_LEDGER_ONLY', '202610', OU.HRK, 'CARD', 9_999_999),
    // September: in the trend, not in the October table
    v('PAYREV_RECON_LEDGER_ONLY', '202609', OU.HDB, 'ORANGE_MONEY', 70_000),
]

async function open(ou: string, pe: string) {
    window.location.hash = `#/reconciliation?ou=${ou}&pe=${pe}`
    renderWithDhis2(<AppRoot now={NOW} />)
    return screen.findByTestId('recon-table', {}, { timeout: 4000 })
}
const text = (id: string) => norm(screen.getByTestId(id).textContent)
const rowOrder = (table: HTMLElement) =>
    within(table)
        .getAllByTestId(/^recon-row-[A-Za-z0-9]+$/)
        .map((r) => r.getAttribute('data-test')!.replace('recon-row-', ''))

describe('Rapprochement', () => {
    it('ranks the district’s facilities by unreconciled amount, with the selection’s totals', async () => {
        ctx.state.recon = OCTOBER
        const table = await open(OU.BKO, '202610')
        expect(rowOrder(table)).toEqual([OU.CHUGT, OU.HDB, OU.CSREF4, OU.CHUPG])
        expect(text(`recon-${OU.CHUGT}-rank`)).toBe('1')
        expect(text(`recon-${OU.CHUGT}-unreconciled`)).toBe('101 000 FCFA')
        expect(text(`recon-${OU.HDB}-unreconciled`)).toBe('62 000 FCFA')
        expect(text(`recon-${OU.HDB}-matched-share`)).toBe('95,5 %')
        expect(text(`recon-${OU.HDB}-ledger-only`)).toBe('40 000 FCFA')
        expect(text(`recon-${OU.HDB}-statement-only`)).toBe('15 000 FCFA')
        expect(text(`recon-${OU.HDB}-amount-gap`)).toBe('2 000 FCFA')
        expect(text(`recon-${OU.HDB}-fees`)).toBe('15 000 FCFA')
        expect(text(`recon-${OU.HDB}-cash-short`)).toBe('5 000 FCFA')
        expect(text(`recon-${OU.CSREF4}-matched-share`)).toBe('100 %')
        expect(text(`recon-${OU.CHUPG}-empty`)).toBe('Aucun rapprochement pour cette période')
        expect(screen.queryByTestId(`recon-row-${OU.HRK}`)).toBeNull()
        // Totals of Bamako: unreconciled 62 000 + 101 000; matched share 1 750 000 / (1 750 000 + 140 000 + 15 000 + 2 000)
        expect(text('recon-kpi-unreconciled-value')).toBe('163 000 FCFA')
        expect(text('recon-kpi-matched-share-value')).toBe('91,8 %')
        expect(text('recon-kpi-ledger-only-value')).toBe('140 000 FCFA')
        expect(text('recon-kpi-cash-over-value')).toBe('1 000 FCFA')
        expect(screen.getByTestId('recon-trend')).toHaveTextContent('derniers 12 mois')
    })

    it('opens a facility down to its channels; cash short/over sit on the cash line', async () => {
        ctx.state.recon = OCTOBER
        await open(OU.BKO, '202610')
        expect(screen.queryByTestId(`recon-row-${OU.HDB}-ORANGE_MONEY`)).toBeNull()
        fireEvent.click(screen.getByTestId(`recon-${OU.HDB}-toggle`))
        expect(text(`recon-${OU.HDB}-ORANGE_MONEY-matched-share`)).toBe('94 %') // 900 000 / 957 000 = 94.04 %
        expect(text(`recon-${OU.HDB}-CARD-fees`)).toBe('6 000 FCFA')
        expect(text(`recon-${OU.HDB}-CASH-cash-short`)).toBe('5 000 FCFA')
        expect(text(`recon-${OU.HDB}-CASH-matched-share`)).toBe('n.d.')
        // English on the switch; money stays FCFA with French grouping.
        fireEvent.click(within(screen.getByTestId('language-switch')).getByText('English'))
        expect(await screen.findByTestId('recon-header-unreconciled')).toHaveTextContent('Unreconciled')
        expect(text('tab-reconciliation')).toBe('Reconciliation')
        expect(text(`recon-${OU.HDB}-ORANGE_MONEY-matched-share`)).toBe('94%')
        expect(text(`recon-${OU.HDB}-unreconciled`)).toBe('62 000 FCFA')
    })

    it('a single facility shows its channels at once; a quarter sums its months', async () => {
        ctx.state.recon = OCTOBER
        await open(OU.HDB, '2026Q3')
        // Q3: September's 70 000 only
        expect(text(`recon-${OU.HDB}-ledger-only`)).toBe('70 000 FCFA')
        expect(text(`recon-${OU.HDB}-ORANGE_MONEY-ledger-only`)).toBe('70 000 FCFA')
    })

    it('exports the ranking with a line per channel', async () => {
        ctx.state.recon = OCTOBER
        await open(OU.BKO, '202610')
        const blobs: Blob[] = []
        Object.assign(URL, { createObjectURL: jest.fn((b: Blob) => (blobs.push(b), 'blob:test')), revokeObjectURL: jest.fn() })
        const clicked: HTMLAnchorElement[] = []
        const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
            clicked.push(this)
        })
        fireEvent.click(screen.getByTestId('recon-export-csv'))
        click.mockRestore()
        expect(clicked[0].download).toBe('rapprochement-Bamako-202610.csv')
        const lines = (await blobs[0].text()).replace(/^\ufeff/, '').trimEnd().split('\r\n')
        expect(lines[0]).toBe(
            'Rang;Établissement;Canal;Part rapprochée (valeur) (%);Rapproché (FCFA);Non réglé (journal seul) (FCFA);Sans reçu (relevé seul) (FCFA);Écarts de montant (FCFA);Frais des opérateurs (FCFA);Manquant de caisse (FCFA);Excédent de caisse (FCFA);Non rapproché (FCFA)'
        )
        expect(lines[1]).toBe('1;CHU Gabriel Touré;Total;83,3;500000;100000;0;0;0;0;1000;101000')
        expect(lines[2]).toBe('1;CHU Gabriel Touré;Espèces;;0;0;0;0;0;0;1000;1000')
        expect(lines[3]).toBe('1;CHU Gabriel Touré;Moov Money;83,3;500000;100000;0;0;0;0;0;100000')
        expect(lines).toContain(";CHU du Point G;Total;;;;;;;;;")
    })

    it('asks two analytics requests, the cash one without the channel dimension', async () => {
        ctx.state.recon = OCTOBER
        await open(OU.BKO, '202610')
        const asked = ctx.log.filter((r) => r.resource === 'analytics').map((r) => r.params.getAll('dimension').join(','))
        expect(asked).toHaveLength(2)
        const cash = asked.find((d) => d.includes(RECON_UIDS.PAYREV_CASH_SHORT))!
        expect(cash).not.toContain('CatChannel1')
        expect(cash).toContain('pe:202511;')
    })

    it('says so when the reconciliation metadata is not installed, and shows analytics errors', async () => {
        ctx.state.base = { ...ctx.state.base, missingCodes: ['PAYREV_RECON_MATCHED'] }
        window.location.hash = `#/reconciliation?ou=${OU.BKO}&pe=202610`
        const first = renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('empty-state', {}, { timeout: 4000 })).toHaveTextContent('PAYREV_RECON_MATCHED')
        first.unmount()
        ctx.state.base = { ...ctx.state.base, missingCodes: [], fail: { analytics: ERRORS.analyticsTablesMissing } }
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('error-state', {}, { timeout: 4000 })).toHaveAttribute('data-error-kind', 'analytics-tables-missing')
    })

    it('empty state for a period without reconciliation', async () => {
        ctx.state.recon = OCTOBER
        window.location.hash = `#/reconciliation?ou=${OU.BKO}&pe=202607`
        renderWithDhis2(<AppRoot now={NOW} />)
        expect(await screen.findByTestId('empty-state', {}, { timeout: 4000 })).toHaveTextContent('revenue-bridge reconcile')
    })
})
