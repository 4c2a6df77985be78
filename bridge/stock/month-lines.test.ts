import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DateTime } from 'luxon'
import { lineScope } from '../aggregate'
import type { PeriodType } from '../../contract/codes'
import type { LedgerLine } from '../domain/line'
import { openState, type StateDb } from '../state/db'
import { LineStore, scopesWithLines } from '../state/lines'
import { monthLines } from './reconcile'
import { localDate } from './records'

// 'JP' and 'JP|TKY': the second's scopes sort among the first's ('JP|202503' < 'JP|TKY|202503' < 'JP|W…').
const ZONES: Record<string, string> = { 'ML-BKO-HDB': 'Africa/Bamako', JP: 'Asia/Tokyo', 'JP|TKY': 'Asia/Tokyo', 'US-NYC': 'America/New_York', 'IN-DEL': 'Asia/Kolkata' }
const zoneFor = (f: string) => ZONES[f]

function line(n: number, facilityCode: string, occurredAt: string, service: LedgerLine['service'] = 'PHARMACY'): LedgerLine {
    return {
        transactionId: `TX-${n}`,
        lineNo: 1,
        occurredAt,
        updatedAt: null,
        facilityCode,
        channel: 'CASH',
        service,
        amountXof: 100,
        type: 'PAYMENT',
        status: 'SUCCESS',
        productCode: 'AMOX500C',
        productName: null,
        quantity: 1,
        unit: null,
    }
}

/** A state holding these lines, ingested as a sync does (scopes cut with the period type). */
function stateWith(lines: LedgerLine[], periodType: PeriodType): StateDb {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'month-lines-'))
    const db = openState(dir)
    const store = new LineStore(db)
    db.transaction(() => lines.forEach((l) => store.ingest(l, lineScope(l, { periodType, zoneFor }), 1)))()
    return db
}

describe('monthLines reads a month through the scopes, and gives what a pass over every line gives', () => {
    // Every 7 hours from mid-February to mid-April 2025, in four zones (one facility code holds a '|'),
    // every fifth line a consultation: weeks straddle the month's ends, and so do local dates.
    const lines: LedgerLine[] = []
    let n = 0
    for (let t = Date.UTC(2025, 1, 14); t < Date.UTC(2025, 3, 14); t += 7 * 3_600_000) {
        for (const f of Object.keys(ZONES)) lines.push(line(n++, f, new Date(t).toISOString(), n % 5 === 0 ? 'CONSULTATION' : 'PHARMACY'))
    }
    const expected = (month: string) =>
        lines
            .filter((l) => l.service === 'PHARMACY' && DateTime.fromISO(l.occurredAt, { zone: 'utc' }).setZone(zoneFor(l.facilityCode)).toISODate()!.startsWith(month))
            .map((l) => l.transactionId)
            .sort()

    test.each(['Monthly', 'Weekly', 'Daily'] as PeriodType[])('%s periods', (periodType) => {
        const db = stateWith(lines, periodType)
        try {
            for (const month of ['2025-02', '2025-03', '2025-04', '2025-05']) {
                const got = monthLines(db, month, zoneFor, periodType).map((l) => l.transactionId).sort()
                expect([month, got]).toEqual([month, expected(month)])
            }
            expect(expected('2025-03').length).toBeGreaterThan(300)
        } finally {
            db.close()
        }
    })

    test('scopesWithLines walks every scope, a facility code holding "|" included', () => {
        const db = stateWith(lines, 'Monthly')
        try {
            expect(scopesWithLines(db, ['2025W10']).length).toBe(0)
            expect(scopesWithLines(db, ['202503', '202506']).sort()).toEqual(['IN-DEL|202503', 'JP|202503', 'JP|TKY|202503', 'ML-BKO-HDB|202503', 'US-NYC|202503'])
            expect(scopesWithLines(db, ['202412'])).toEqual([])
        } finally {
            db.close()
        }
    })
})

describe('localDate by arithmetic equals luxon', () => {
    const fc = require('fast-check') as typeof import('fast-check')
    test('random instants in zones with DST, half hours and seconds offsets', () => {
        const zones = ['Africa/Bamako', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Africa/Monrovia', 'Pacific/Kiritimati']
        fc.assert(
            fc.property(fc.constantFrom(...zones), fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }), (zone, ms) => {
                const iso = new Date(ms).toISOString()
                expect(localDate(iso, zone)).toBe(DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate())
            }),
            { numRuns: 3000 }
        )
        expect(() => localDate('not a date', 'Africa/Bamako')).toThrow(/invalid instant/)
        expect(() => localDate('2025-03-01T00:00:00.000Z', 'Mars/Olympus')).toThrow(/invalid instant/)
    })
})
