import { openMemoryState } from '../state/db'
import { Outbox, type DesiredValue } from './outbox'

/** One table for every family: the zero rule, the sent → accepted / rejected cycle, families apart. */
const v = (key: string, value: number, p: Partial<DesiredValue> = {}): DesiredValue => ({ key, facility: 'HDB', dataElement: 'DE', period: '202603', value, ...p })

test('a scope is replaced by its fresh totals: what DHIS2 had (or may have had) falls to 0, a never-sent key is dropped', () => {
    const db = openMemoryState()
    const out = new Outbox(db, 'revenue')
    out.replaceScope('s1', [v('a', 10), v('b', 20), v('c', 30)])
    expect(out.pending().map((p) => [p.key, p.desired])).toEqual([['a', 10], ['b', 20], ['c', 30]])
    out.markSent(['a', 'b'])
    out.markAccepted([{ key: 'a', value: 10 }], '2026-03-31T00:00:00Z')
    // b was sent without an answer; c never left.
    expect(out.unconfirmed()).toBe(1)
    out.replaceScope('s1', [])
    expect(out.pending().map((p) => [p.key, p.desired])).toEqual([['a', 0], ['b', 0]])
    expect(out.counts()).toEqual({ keys: 2, pending: 2, rejected: 0 })
})

test('rejections are kept until the value changes; another DHIS2 forgets what was accepted', () => {
    const db = openMemoryState()
    const out = new Outbox(db, 'lmis')
    out.replaceScope('HDB|202603', [v('a', 5, { coc: 'COC', detail: ['AMOX'] }), v('b', 7)])
    out.markSent(['a', 'b'])
    out.markAccepted([{ key: 'a', value: 5 }], 'now')
    out.markRejected([{ key: 'b', code: 'E7633', message: 'closed' }])
    expect(out.pending()).toEqual([expect.objectContaining({ family: 'lmis', key: 'b', lastErrorCode: 'E7633', scope: 'HDB|202603' })])
    expect(out.counts()).toEqual({ keys: 2, pending: 1, rejected: 1 })
    expect(out.forgetAccepted()).toBe(1)
    expect(out.pending().map((p) => [p.key, p.coc, p.detail])).toEqual([['a', 'COC', ['AMOX']], ['b', null, null]])
    // The operator takes DHIS2's value as right.
    expect(out.acceptAsIs('b')).toBe(true)
    expect(out.pending().map((p) => p.key)).toEqual(['a'])
})

test('families share the table, never their keys', () => {
    const db = openMemoryState()
    new Outbox(db, 'revenue').replaceScope('s', [v('same', 1)])
    new Outbox(db, 'recon').replaceScope('s', [v('same', 2)])
    expect(new Outbox(db, 'revenue').pending().map((p) => p.desired)).toEqual([1])
    expect(new Outbox(db, 'recon').pending().map((p) => p.desired)).toEqual([2])
    new Outbox(db, 'recon').replaceScope('s', [])
    expect(new Outbox(db, 'revenue').pending()).toHaveLength(1)
})
