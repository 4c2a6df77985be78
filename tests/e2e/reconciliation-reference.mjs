/**
 * Shared by the « Rapprochement » browser tests: the view's definitions (docs/reconciliation-view.md)
 * restated on plain sums, French formats, and opening the view. A second opinion on the figures,
 * not the app's code.
 */
import assert from 'node:assert/strict'
import { openApp, plain } from './harness.mjs'

/** Data element code → figure. */
export const RECON_KEYS = {
    PAYREV_RECON_MATCHED: 'matched',
    PAYREV_RECON_LEDGER_ONLY: 'ledgerOnly',
    PAYREV_RECON_STATEMENT_ONLY: 'statementOnly',
    PAYREV_RECON_AMOUNT_GAP: 'amountGap',
    PAYREV_FEES: 'fees',
    PAYREV_CASH_SHORT: 'cashShort',
    PAYREV_CASH_OVER: 'cashOver',
}

export const zeroFigures = () => ({ matched: 0, ledgerOnly: 0, statementOnly: 0, amountGap: 0, fees: 0, cashShort: 0, cashOver: 0 })

/** Sums → the two derived figures: matched share (null when nothing was compared) and unreconciled. */
export function derive(sums) {
    const compared = sums.matched + sums.ledgerOnly + sums.statementOnly + sums.amountGap
    return {
        ...sums,
        matchedShare: compared === 0 ? null : sums.matched / compared,
        unreconciled: sums.ledgerOnly + sums.statementOnly + sums.amountGap + sums.cashShort + sums.cashOver,
    }
}

/** As the app shows a ratio in French: one decimal at most, decimal comma; n/a is "n.d.". */
export const frPercent = (r) => (r === null ? 'n.d.' : `${(Math.round(r * 1000) / 10).toString().replace('.', ',')} %`)

/** The table's money columns (test id suffix → figure). */
export const MONEY_COLUMNS = [
    ['matched', 'matched'],
    ['ledger-only', 'ledgerOnly'],
    ['statement-only', 'statementOnly'],
    ['amount-gap', 'amountGap'],
    ['fees', 'fees'],
    ['cash-short', 'cashShort'],
    ['cash-over', 'cashOver'],
    ['unreconciled', 'unreconciled'],
]

/** The view at `url` (`…#/reconciliation?…`), once its table shows; a state in its place fails at once, saying which. */
export async function openReconciliation(browser, t, url, viewport = { width: 1366, height: 900 }) {
    const page = await openApp(browser, t, url, { viewport })
    await page.locator('[data-test="recon-table"], [data-test="empty-state"], [data-test="error-state"]').first().waitFor({ timeout: 30_000 })
    if (!(await page.getByTestId('recon-table').count())) assert.fail(`no table: ${plain(await page.getByTestId('reconciliation-view').innerText())}`)
    return page
}

export const cellText = async (page, id) => plain(await page.getByTestId(id).innerText())

/** Facility row ids (11-character UIDs) in the order shown. */
export const rowOrder = (page) => page.getByTestId(/^recon-row-[A-Za-z0-9]{11}$/).evaluateAll((els) => els.map((e) => e.getAttribute('data-test').slice('recon-row-'.length)))
