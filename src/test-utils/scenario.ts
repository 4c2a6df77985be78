/**
 * A small, hand-checkable ledger outcome for the Bamako hospitals, as the bridge would have pushed
 * it (absolute totals per month × facility × channel [× service]). The expected figures in the
 * view tests are worked out by hand from these lines, in comments next to each assertion.
 */
import type { FakeValue } from './fake-dhis2'
import { OU } from './fake-dhis2'

const G = (pe: string, ou: string, channel: FakeValue['channel'], service: NonNullable<FakeValue['service']>, value: number): FakeValue => ({
    de: 'PAYREV_GROSS',
    pe,
    ou,
    channel,
    service,
    value,
})
const R = (pe: string, ou: string, channel: FakeValue['channel'], service: NonNullable<FakeValue['service']>, value: number): FakeValue => ({
    de: 'PAYREV_REFUNDS',
    pe,
    ou,
    channel,
    service,
    value,
})
const P = (pe: string, ou: string, channel: FakeValue['channel'], value: number): FakeValue => ({ de: 'PAYREV_PAYMENTS', pe, ou, channel, value })
const F = (pe: string, ou: string, channel: FakeValue['channel'], value: number): FakeValue => ({ de: 'PAYREV_FAILED', pe, ou, channel, value })

export const HDB_VALUES: FakeValue[] = [
    // October 2026: gross 1 500 000 (digital 900 000), refunds 30 000, 200 payments (80 digital), 15 failed
    G('202610', OU.HDB, 'CASH', 'CONSULTATION', 400_000),
    G('202610', OU.HDB, 'CASH', 'PHARMACY', 200_000),
    G('202610', OU.HDB, 'ORANGE_MONEY', 'CONSULTATION', 300_000),
    G('202610', OU.HDB, 'ORANGE_MONEY', 'EXAM', 150_000),
    G('202610', OU.HDB, 'CARD', 'HOSPITALISATION', 450_000),
    R('202610', OU.HDB, 'CASH', 'PHARMACY', 25_000),
    R('202610', OU.HDB, 'ORANGE_MONEY', 'CONSULTATION', 5_000),
    P('202610', OU.HDB, 'CASH', 120),
    P('202610', OU.HDB, 'ORANGE_MONEY', 60),
    P('202610', OU.HDB, 'CARD', 20),
    F('202610', OU.HDB, 'ORANGE_MONEY', 12),
    F('202610', OU.HDB, 'CARD', 3),
    // September 2026: gross 1 200 000 (digital 200 000), no refunds, 150 payments, 10 failed
    G('202609', OU.HDB, 'CASH', 'CONSULTATION', 1_000_000),
    G('202609', OU.HDB, 'ORANGE_MONEY', 'EXAM', 200_000),
    P('202609', OU.HDB, 'CASH', 100),
    P('202609', OU.HDB, 'ORANGE_MONEY', 50),
    F('202609', OU.HDB, 'ORANGE_MONEY', 10),
    // January 2026 (year to date), October and March 2025 (last year)
    G('202601', OU.HDB, 'CASH', 'EXAM', 300_000),
    P('202601', OU.HDB, 'CASH', 30),
    G('202510', OU.HDB, 'CASH', 'CONSULTATION', 1_000_000),
    P('202510', OU.HDB, 'CASH', 125),
    G('202503', OU.HDB, 'CASH', 'CONSULTATION', 500_000),
    P('202503', OU.HDB, 'CASH', 50),
]

export const OTHER_BAMAKO_VALUES: FakeValue[] = [
    // CHU Gabriel Touré: 2 000 000 in October, 2 500 000 in September (−20 %), nothing a year before
    G('202610', OU.CHUGT, 'CASH', 'CONSULTATION', 2_000_000),
    P('202610', OU.CHUGT, 'CASH', 400),
    G('202609', OU.CHUGT, 'CASH', 'CONSULTATION', 2_500_000),
    P('202609', OU.CHUGT, 'CASH', 500),
    // CSRéf Commune IV: 100 000 by Moov Money in October, nothing before
    G('202610', OU.CSREF4, 'MOOV_MONEY', 'CONSULTATION', 100_000),
    P('202610', OU.CSREF4, 'MOOV_MONEY', 10),
    // CHU du Point G: nothing at all
]

// Kayes: outside Bamako, must never leak into Bamako's figures
export const KAYES_VALUES: FakeValue[] = [G('202610', OU.HRK, 'CASH', 'CONSULTATION', 7_777_777), P('202610', OU.HRK, 'CASH', 7)]

export const ALL_VALUES: FakeValue[] = [...HDB_VALUES, ...OTHER_BAMAKO_VALUES, ...KAYES_VALUES]

/** "Today" of the view tests: relative periods resolve against it. */
export const NOW = new Date('2026-11-23T10:00:00Z')
