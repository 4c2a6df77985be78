import fs from 'fs'
import path from 'path'
import { HEALTH_WORDS } from '@recettes/contract'
import { freshnessRows, freshnessState, healthOf, parseEntries } from './freshness'

const now = new Date('2026-11-23T12:00:00Z')
const summary = (over: Record<string, unknown> = {}) => ({
    orgUnit: 'OuHdb000001',
    orgUnitCode: 'ML-BKO-HDB',
    lastRunAt: '2026-11-23T06:00:12.000Z',
    lastSuccessAt: '2026-11-23T06:00:12.000Z',
    lastRunStatus: 'OK',
    valuesSent: 120,
    conflicts: 0,
    quarantined: 2,
    linesRead: 5400,
    bridgeVersion: '0.1.0',
    ...over,
})

describe('parseEntries', () => {
    it('keeps facility-* entries that match the bridge’s schema and names the others', () => {
        const { summaries, invalidKeys } = parseEntries([
            { key: 'facility-OuHdb000001', value: summary() },
            { key: 'facility-OuBad000001', value: { orgUnit: 'OuBad000001', lastRunStatus: 'MAYBE' } },
            { key: 'settings', value: { anything: true } },
        ])
        expect([...summaries.keys()]).toEqual(['OuHdb000001'])
        expect(invalidKeys).toEqual(['facility-OuBad000001'])
    })
    it('accepts the paged form too, and rejects what is not a list of entries', () => {
        expect(parseEntries({ pager: { page: 1 }, entries: [{ key: 'facility-OuHdb000001', value: summary() }] }).summaries.size).toBe(1)
        // 2.38 and older answer the key names only
        expect(() => parseEntries(['facility-OuHdb000001'])).toThrow()
    })
})

describe('freshnessState', () => {
    it('ok, warning, error, stale, never', () => {
        const parsed = (o: Record<string, unknown>) => parseEntries([{ key: 'facility-x', value: summary(o) }]).summaries.get('OuHdb000001')!
        expect(freshnessState(parsed({}), now)).toBe('ok')
        expect(freshnessState(parsed({ lastRunStatus: 'QUARANTINE' }), now)).toBe('warning')
        expect(freshnessState(parsed({ lastRunStatus: 'CONFLICTS', conflicts: 3 }), now)).toBe('warning')
        expect(freshnessState(parsed({ lastRunStatus: 'UNREACHABLE' }), now)).toBe('error')
        expect(freshnessState(parsed({ lastSuccessAt: '2026-11-20T06:00:00.000Z' }), now)).toBe('stale')
        expect(freshnessState(parsed({ lastSuccessAt: null }), now)).toBe('stale')
        // a recent run that sent its values but quarantined rows is a sync, even before any clean run
        expect(freshnessState(parsed({ lastRunStatus: 'QUARANTINE', lastSuccessAt: null }), now)).toBe('warning')
        expect(freshnessState(parsed({ lastRunStatus: 'CONFLICTS', lastSuccessAt: '2026-11-01T06:00:00.000Z' }), now)).toBe('warning')
        expect(freshnessState(parsed({ lastRunStatus: 'QUARANTINE', lastSuccessAt: null, lastRunAt: '2026-11-20T06:00:00.000Z' }), now)).toBe('stale')
        expect(freshnessState(null, now)).toBe('never')
    })
})

describe('health words (bridges from issue 16 on)', () => {
    const parsed = (o: Record<string, unknown>) => parseEntries([{ key: 'facility-x', value: summary(o) }]).summaries.get('OuHdb000001')!
    const words = { lastSuccessAt: null, lastRunStatus: 'QUARANTINE', quarantined: 1, lastDeliveryAt: '2026-11-23T06:00:12.000Z', lastCleanRunAt: null, newProblems: 0, stillQuarantined: 1 }

    it('a delivery with a row still quarantined is a warning, not stale, even with no clean run ever', () => {
        expect(freshnessState(parsed(words), now)).toBe('warning')
        expect(healthOf(parsed(words))).toEqual({ lastDeliveryAt: '2026-11-23T06:00:12.000Z', lastCleanRunAt: null, newProblems: 0, stillQuarantined: 1 })
    })
    it('no delivery for 48 hours is stale, whatever the last run said', () => {
        expect(freshnessState(parsed({ ...words, lastDeliveryAt: '2026-11-21T06:00:00.000Z' }), now)).toBe('stale')
        expect(freshnessState(parsed({ ...words, lastDeliveryAt: null }), now)).toBe('stale')
    })
    it('clean: ok', () => {
        expect(freshnessState(parsed({ lastRunStatus: 'OK', quarantined: 0, lastDeliveryAt: '2026-11-23T06:00:12.000Z', lastCleanRunAt: '2026-11-23T06:00:12.000Z', newProblems: 0, stillQuarantined: 0 }), now)).toBe('ok')
    })
    it('an older summary without the words: derived from lastSuccessAt and the run status', () => {
        expect(healthOf(parsed({ lastRunStatus: 'QUARANTINE', quarantined: 3, lastSuccessAt: null }))).toEqual({ lastDeliveryAt: '2026-11-23T06:00:12.000Z', lastCleanRunAt: null, newProblems: 3, stillQuarantined: 0 })
    })
    it('the app says them as the bridge does (i18n/fr.po against contract/health.ts)', () => {
        const po = fs.readFileSync(path.join(__dirname, '..', '..', 'i18n', 'fr.po'), 'utf8')
        const fr = (id: string) => new RegExp(`msgid "${id}"\nmsgstr "([^"]*)"`).exec(po)?.[1]
        expect(fr('Last delivery')).toBe(HEALTH_WORDS.lastDelivery.fr)
        expect(fr('Last fully clean run')).toBe(HEALTH_WORDS.lastCleanRun.fr)
        expect(fr('New problems')).toBe(HEALTH_WORDS.newProblems.fr)
        expect(fr('Still quarantined')).toBe(HEALTH_WORDS.stillQuarantined.fr)
        expect(HEALTH_WORDS.lastDelivery.en).toBe('Last delivery')
        expect(HEALTH_WORDS.lastCleanRun.en).toBe('Last fully clean run')
    })
})

describe('freshnessRows', () => {
    it('lists every facility under the selection, worst first', () => {
        const { summaries } = parseEntries([
            { key: 'facility-OuHdb000001', value: summary() },
            { key: 'facility-OuChugt0001', value: summary({ orgUnit: 'OuChugt0001', lastRunStatus: 'FAILED' }) },
            { key: 'facility-OuStray0001', value: summary({ orgUnit: 'OuStray0001', orgUnitCode: 'ML-XX' }) },
        ])
        const facilities = [
            { id: 'OuHdb000001', name: 'Hôpital de Dermatologie', path: '', level: 3 },
            { id: 'OuChugt0001', name: 'CHU Gabriel Touré', path: '', level: 3 },
            { id: 'OuChupg0001', name: 'CHU du Point G', path: '', level: 3 },
        ]
        const rows = freshnessRows(summaries, facilities, () => false, now, 'fr')
        expect(rows.map((r) => [r.orgUnit, r.state])).toEqual([
            ['OuChugt0001', 'error'],
            ['OuChupg0001', 'never'],
            ['OuHdb000001', 'ok'],
        ])
        // a summary for a unit the data set does not list is shown when the caller says it is in scope
        expect(freshnessRows(summaries, facilities, () => true, now, 'fr').map((r) => r.name)).toContain('ML-XX')
    })
})
