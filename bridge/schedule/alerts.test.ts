import type { Health } from '../../contract/health'
import { AlertPolicy } from './alerts'

const health = (over: Partial<Health>): Health => ({
    status: 'ok',
    running: false,
    lastRunAt: '2026-11-23T10:00:00.000Z',
    lastRunExitCode: 0,
    lastDeliveryAt: '2026-11-23T10:00:00.000Z',
    lastCleanRunAt: '2026-11-23T10:00:00.000Z',
    newProblems: 0,
    stillQuarantined: 0,
    valuesWaiting: 0,
    valuesRejected: 0,
    failedInARow: 0,
    nextRunAt: null,
    problems: [],
    ...over,
})
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 12, minutes))

describe('AlertPolicy', () => {
    test('failing: alert at once, again only after the repeat interval, then one recovery', () => {
        const p = new AlertPolicy(30)
        const failing = health({ status: 'failing', failedInARow: 3, lastRunExitCode: 4, valuesWaiting: 12 })
        expect(p.decide(failing, at(0))?.subject.en).toBe('Revenue bridge: delivery failing')
        expect(p.decide(failing, at(10))).toBeNull()
        expect(p.decide(failing, at(29))).toBeNull()
        const again = p.decide(failing, at(30))
        expect(again?.text.en).toMatch(/^Still failing\.\nLast delivery: 2026-11-23T10:00:00.000Z\n/)
        expect(again?.text.fr).toMatch(/Valeurs en attente : 12/)
        expect(p.decide(failing, at(45))).toBeNull()
        expect(p.decide(health({}), at(50))?.subject.fr).toBe('Pont des recettes : livraison rétablie')
        expect(p.decide(health({}), at(51))).toBeNull()
    })

    test('new problems alert once per run that has them; rows still quarantined do not', () => {
        const p = new AlertPolicy(30)
        expect(p.decide(health({ status: 'problems', newProblems: 2, problems: [{ fr: '2 nouvelle(s) ligne(s) en quarantaine', en: '2 new row(s) in quarantine' }] }), at(0))?.text.en).toMatch(/- 2 new row\(s\) in quarantine/)
        expect(p.decide(health({ status: 'problems', newProblems: 0, stillQuarantined: 2 }), at(1))).toBeNull()
    })
})
