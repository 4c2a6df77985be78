import { buildPackage, diffPackage, type MetadataPackage } from './metadata-package'

let n = 0
const ids = new Map<string, string>()
const idFor = (type: string, code: string) => {
    const k = `${type}|${code}`
    if (!ids.has(k)) ids.set(k, `uid${String(n++).padStart(8, '0')}`)
    return ids.get(k)!
}
const pkg = (orgUnitIds: string[] = []) => buildPackage({ idFor, periodType: 'Monthly', defaultCategoryComboId: 'bjDvmb4bfuf', orgUnitIds })
const asExisting = (p: MetadataPackage) => JSON.parse(JSON.stringify(p)) as Record<keyof MetadataPackage, Array<Record<string, unknown>>>

describe('metadata package (docs/contract.md §3)', () => {
    test('codes, value types and category order', () => {
        const p = pkg()
        expect(p.categoryOptions.map((o) => o.code)).toEqual([
            'PAYREV_CH_CASH', 'PAYREV_CH_ORANGE_MONEY', 'PAYREV_CH_MOOV_MONEY', 'PAYREV_CH_SAMA_MONEY', 'PAYREV_CH_CARD', 'PAYREV_CH_OTHER',
            'PAYREV_SV_CONSULTATION', 'PAYREV_SV_EXAM', 'PAYREV_SV_PHARMACY', 'PAYREV_SV_HOSPITALISATION', 'PAYREV_SV_OTHER',
        ])
        const combo = p.categoryCombos.find((c) => c.code === 'PAYREV_CC_CHANNEL_SERVICE')!
        const channel = p.categories.find((c) => c.code === 'PAYREV_CHANNEL')!
        const service = p.categories.find((c) => c.code === 'PAYREV_SERVICE')!
        expect(combo.categories).toEqual([{ id: channel.id }, { id: service.id }])
        for (const de of p.dataElements) {
            // PAYREV_FEES may be negative (commissions given back on refunds): docs/reconciliation.md.
            expect(de).toMatchObject({ valueType: de.code === 'PAYREV_FEES' ? 'INTEGER' : 'INTEGER_ZERO_OR_POSITIVE', aggregationType: 'SUM', zeroIsSignificant: true, domainType: 'AGGREGATE' })
            expect((de.shortName as string).length).toBeLessThanOrEqual(50)
        }
        expect(p.dataElements.find((d) => d.code === 'PAYREV_PAYMENTS')!.categoryCombo).toEqual({ id: idFor('categoryCombos', 'PAYREV_CC_CHANNEL') })
        const ds = p.dataSets[0]
        expect(ds).toMatchObject({ code: 'PAYREV_MONTHLY', name: 'Recettes hospitalières', periodType: 'Monthly' })
        expect(ds.openFuturePeriods).toBeGreaterThanOrEqual(1)
        expect(p.categoryOptions.find((o) => o.code === 'PAYREV_CH_CASH')!.translations).toEqual([
            { property: 'NAME', locale: 'en', value: 'Cash' },
            { property: 'SHORT_NAME', locale: 'en', value: 'Cash' },
        ])
    })

    test('diff: everything new on an empty server, nothing on an identical one', () => {
        const empty = { categoryOptions: [], categories: [], categoryCombos: [], dataElements: [], dataSets: [] }
        expect(diffPackage(pkg(), empty).every((c) => c.action === 'create')).toBe(true)
        expect(diffPackage(pkg(['ou1']), asExisting(pkg(['ou1']))).every((c) => c.action === 'unchanged')).toBe(true)
    })

    test('diff: a renamed option and a missing assignment are updates; extra assignments are kept', () => {
        const existing = asExisting(pkg(['ou1', 'ouExtra']))
        existing.categoryOptions[0].name = 'Cash (old)'
        const changes = diffPackage(pkg(['ou1', 'ou2']), existing)
        expect(changes.filter((c) => c.action === 'update').map((c) => [c.code, c.changed])).toEqual([
            ['PAYREV_CH_CASH', ['name']],
            ['PAYREV_MONTHLY', ['organisationUnits']],
            ['PAYREV_RECON_MONTHLY', ['organisationUnits']],
        ])
        expect(diffPackage(pkg(['ou1']), existing).find((c) => c.code === 'PAYREV_MONTHLY')!.action).toBe('unchanged')
    })

    test('the reconciliation data set (docs/contract.md §7): its data elements by channel or on the default combo, monthly, FR names with EN translations', () => {
        const p = pkg(['ou1'])
        const ds = p.dataSets.find((d) => d.code === 'PAYREV_RECON_MONTHLY')!
        expect(ds).toMatchObject({ name: 'Rapprochement des paiements', periodType: 'Monthly', categoryCombo: { id: 'bjDvmb4bfuf' }, organisationUnits: [{ id: 'ou1' }] })
        expect(ds.translations).toEqual([
            { property: 'NAME', locale: 'en', value: 'Payment reconciliation' },
            { property: 'SHORT_NAME', locale: 'en', value: 'Payment reconciliation' },
        ])
        const byCode = new Map(p.dataElements.map((d) => [d.code, d]))
        const members = (ds.dataSetElements as Array<{ dataElement: { id: string } }>).map((e) => p.dataElements.find((d) => d.id === e.dataElement.id)!.code)
        expect(members).toEqual(['PAYREV_RECON_MATCHED', 'PAYREV_RECON_LEDGER_ONLY', 'PAYREV_RECON_STATEMENT_ONLY', 'PAYREV_RECON_AMOUNT_GAP', 'PAYREV_FEES', 'PAYREV_CASH_SHORT', 'PAYREV_CASH_OVER'])
        for (const c of ['PAYREV_RECON_MATCHED', 'PAYREV_RECON_LEDGER_ONLY', 'PAYREV_RECON_STATEMENT_ONLY', 'PAYREV_RECON_AMOUNT_GAP', 'PAYREV_FEES']) {
            expect(byCode.get(c)!.categoryCombo).toEqual({ id: idFor('categoryCombos', 'PAYREV_CC_CHANNEL') })
        }
        for (const c of ['PAYREV_CASH_SHORT', 'PAYREV_CASH_OVER']) expect(byCode.get(c)!.categoryCombo).toEqual({ id: 'bjDvmb4bfuf' })
        expect(byCode.get('PAYREV_CASH_SHORT')!.name).toBe('Caisse - manquant (FCFA)')
    })
})
