import { answer, emptyState, OU } from '../../test-utils/fake-dhis2'
import { facilitiesUnder, resolveMetadata } from './metadata'

const raw = (state = emptyState()) => {
    const get = (r: string, filter?: string) => answer(state, r, new URLSearchParams(filter ? { filter } : {})).body
    return { me: get('me'), dataElements: get('dataElements'), categories: get('categories'), dataSets: get('dataSets') }
}

describe('resolveMetadata', () => {
    it('maps every PAYREV code to its server UID', () => {
        const r = resolveMetadata(raw())
        if (!r.ok) throw new Error('expected ok')
        expect(r.metadata.dataElements.PAYREV_FAILED).toBe('DeFailed001')
        expect(r.metadata.channelOptions.SAMA_MONEY).toBe('CoSama00001')
        expect(r.metadata.serviceOptions.HOSPITALISATION).toBe('SvHospit001')
        expect(r.metadata.roots.map((u) => u.id)).toEqual([OU.ML])
        expect(r.metadata.facilities).toHaveLength(6)
    })
    it('names what is missing (setup never ran) instead of guessing', () => {
        const state = { ...emptyState(), missingCodes: ['PAYREV_FAILED', 'PAYREV_CH_SAMA_MONEY'] }
        expect(resolveMetadata(raw(state))).toEqual({ ok: false, missing: ['PAYREV_FAILED', 'PAYREV_CH_SAMA_MONEY'] })
    })
    it('falls back to the data capture units when the user has no data view units', () => {
        const r = resolveMetadata({ ...raw(), me: { organisationUnits: [{ id: OU.BKO, displayName: 'Bamako', path: `/${OU.ML}/${OU.BKO}` }] } })
        if (!r.ok) throw new Error('expected ok')
        expect(r.metadata.roots).toEqual([{ id: OU.BKO, name: 'Bamako', path: `/${OU.ML}/${OU.BKO}`, level: 2 }])
        expect(r.metadata.rootsAreCaptureFallback).toBe(true)
    })
    it('facilitiesUnder filters by path', () => {
        const r = resolveMetadata(raw())
        if (!r.ok) throw new Error('expected ok')
        expect(facilitiesUnder(r.metadata, OU.BKO).map((f) => f.id).sort()).toEqual([OU.CHUGT, OU.CHUPG, OU.CSREF4, OU.HDB].sort())
        expect(facilitiesUnder(r.metadata, OU.HDB).map((f) => f.id)).toEqual([OU.HDB])
    })
})
