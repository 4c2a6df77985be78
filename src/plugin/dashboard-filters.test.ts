import { parseHash } from '../app/hash-state'
import { DEFAULT_PERIOD } from '../compute/periods'
import { appUrlFor, selectionFromFilters } from './dashboard-filters'

const HDB = 'OuHdb000001'

describe('selectionFromFilters', () => {
    it('takes the unit from the path and the period id of the Dashboard app filters', () => {
        const s = selectionFromFilters({ ou: [{ id: HDB, name: 'HDB', path: `/OuMali00001/OuBko000001/${HDB}` }], pe: [{ id: '202610', name: 'October 2026' }] })
        expect(s).toEqual({ ou: { kind: 'unit', id: HDB, name: 'HDB', path: `/OuMali00001/OuBko000001/${HDB}` }, periodId: '202610', ignored: [] })
    })
    it('without filters: the user org unit and the default period', () => {
        expect(selectionFromFilters({})).toEqual({ ou: { kind: 'user' }, periodId: DEFAULT_PERIOD, ignored: [] })
        expect(selectionFromFilters(undefined)).toEqual({ ou: { kind: 'user' }, periodId: DEFAULT_PERIOD, ignored: [] })
        expect(selectionFromFilters('garbage')).toEqual({ ou: { kind: 'user' }, periodId: DEFAULT_PERIOD, ignored: [] })
    })
    it('names what it cannot show instead of dropping it silently', () => {
        const s = selectionFromFilters({
            ou: [{ id: 'LEVEL-3', name: 'District' }, { id: HDB, name: 'HDB' }, { id: 'OuChugt0001', name: 'CHU Gabriel Touré' }],
            pe: [{ id: 'LAST_12_WEEKS', name: 'Last 12 weeks' }, { id: 'THIS_YEAR', name: 'This year' }],
            uIuxlbV1vRT: [{ id: 'nlX2VoouN63', name: 'Eastern Area' }],
        })
        expect(s.ou).toEqual({ kind: 'unit', id: HDB, name: 'HDB', path: undefined })
        expect(s.periodId).toBe('THIS_YEAR')
        expect(s.ignored).toEqual(['District', 'CHU Gabriel Touré', 'Last 12 weeks'])
    })
    it('USER_ORGUNIT is the user root', () => {
        expect(selectionFromFilters({ ou: [{ id: 'USER_ORGUNIT', name: 'User org unit' }] }).ou).toEqual({ kind: 'user' })
    })
})

describe('appUrlFor', () => {
    it('points at index.html next to plugin.html with a hash the app reads back', () => {
        const url = appUrlFor('https://dhis2.example.ml/dhis/api/apps/recettes-hospitalieres/plugin.html?redirect=false', HDB, '2026Q3')
        expect(url.startsWith('https://dhis2.example.ml/dhis/api/apps/recettes-hospitalieres/index.html#/overview?')).toBe(true)
        expect(parseHash(new URL(url).hash)).toEqual({ view: 'overview', ou: HDB, pe: '2026Q3' })
    })
})
