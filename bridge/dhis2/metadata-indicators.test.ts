import { INDICATOR_CODES } from '../../contract/indicators'
import { CHANNELS, SERVICES, type Channel, type DataElementCode, type Service } from '../../contract/codes'
import { IndicatorSourceError, buildExpressions, buildIndicatorPackage, pickIndicatorTypes } from './metadata-indicators'

/** A fake of the live metadata: UIDs spelled after what they stand for, so expressions read plainly. */
function live(missing: string[] = []) {
    const ids = new Map<DataElementCode, string>([
        ['PAYREV_GROSS', 'deGross0001'],
        ['PAYREV_REFUNDS', 'deRefund001'],
        ['PAYREV_PAYMENTS', 'dePaymnt001'],
        ['PAYREV_FAILED', 'deFailed001'],
    ])
    return {
        dataElementIds: ids,
        coc(de: DataElementCode, ch: Channel, sv: Service | null) {
            const k = `${de}|${ch}|${sv ?? ''}`
            return missing.includes(k) ? null : { id: `${de.slice(7, 9)}${ch.slice(0, 2)}${(sv ?? 'XX').slice(0, 2)}`, code: null }
        },
    }
}

describe('indicator expressions', () => {
    test('each indicator means what docs/contract.md §8 says', () => {
        const e = buildExpressions(live())
        expect(e.PAYREV_IND_NET).toEqual({ numerator: '#{deGross0001}-#{deRefund001}', denominator: '1' })
        expect(e.PAYREV_IND_AVG_TICKET).toEqual({ numerator: '#{deGross0001}', denominator: '#{dePaymnt001}' })
        expect(e.PAYREV_IND_FAILURE_RATE).toEqual({ numerator: '#{deFailed001}', denominator: '#{dePaymnt001}+#{deFailed001}' })
        expect(e.PAYREV_IND_REFUND_RATE).toEqual({ numerator: '#{deRefund001}', denominator: '#{deGross0001}' })
        // Digital share of value: the gross combos of the four digital channels, every service; no cash, no "other".
        const ops = e.PAYREV_IND_DIGITAL_SHARE_VALUE.numerator.split('+')
        expect(ops).toHaveLength(4 * SERVICES.length)
        expect(new Set(ops.map((o) => o.slice(16, 18)))).toEqual(new Set(['OR', 'MO', 'SA', 'CA']))
        expect(ops.every((o) => o.startsWith('#{deGross0001.GR'))).toBe(true)
        expect(e.PAYREV_IND_DIGITAL_SHARE_VALUE.denominator).toBe('#{deGross0001}')
        expect(e.PAYREV_IND_DIGITAL_SHARE_COUNT.numerator).toBe('#{dePaymnt001.PAORXX}+#{dePaymnt001.PAMOXX}+#{dePaymnt001.PASAXX}+#{dePaymnt001.PACAXX}')
        expect(CHANNELS).toContain('CASH')
    })

    test('a missing combo of a digital channel is an error naming it, in French and English', () => {
        expect(() => buildExpressions(live(['PAYREV_GROSS|SAMA_MONEY|PHARMACY']))).toThrow(IndicatorSourceError)
        try {
            buildExpressions(live(['PAYREV_GROSS|SAMA_MONEY|PHARMACY']))
        } catch (err) {
            const e = err as IndicatorSourceError
            expect(e.missing).toEqual(['PAYREV_GROSS SAMA_MONEY × PHARMACY'])
            expect(e.reason.fr).toContain('PAYREV_GROSS SAMA_MONEY × PHARMACY')
            expect(e.reason.en).toContain('PAYREV_GROSS SAMA_MONEY × PHARMACY')
        }
    })
})

describe('indicator types and package', () => {
    test('ours by code first, else a server type with the right factor, else a new one', () => {
        expect(pickIndicatorTypes([])).toEqual({ percent: { id: null, create: true }, number: { id: null, create: true } })
        const national = [
            { id: 'pct00000001', name: 'Percent', factor: 100 },
            { id: 'num00000001', name: 'Number', factor: 1 },
        ]
        expect(pickIndicatorTypes(national)).toEqual({ percent: { id: 'pct00000001', create: false }, number: { id: 'num00000001', create: false } })
        expect(pickIndicatorTypes([...national, { id: 'ours0000001', code: 'PAYREV_IT_PERCENT', factor: 100 }]).percent).toEqual({ id: 'ours0000001', create: true })
    })

    test('the package: six indicators with French names and English translations, the group keeps extra members', () => {
        const pkg = buildIndicatorPackage({
            idFor: (type, code) => `${type.slice(0, 3)}${code.slice(-8)}`.padEnd(11, 'x').slice(0, 11),
            expressions: buildExpressions(live()),
            types: { percent: { id: 'pct00000001', create: false }, number: { id: null, create: true } },
            groupMembers: ['extra000001'],
        })
        expect(pkg.indicatorTypes.map((t) => t.code)).toEqual(['PAYREV_IT_NUMBER'])
        expect(pkg.indicators.map((i) => i.code)).toEqual([...INDICATOR_CODES])
        const share = pkg.indicators.find((i) => i.code === 'PAYREV_IND_DIGITAL_SHARE_VALUE')!
        expect(share).toMatchObject({ name: 'Part numérique des recettes (%)', indicatorType: { id: 'pct00000001' }, annualized: false })
        expect(share.translations).toEqual([
            { property: 'NAME', locale: 'en', value: 'Digital share of revenue (%)' },
            { property: 'SHORT_NAME', locale: 'en', value: 'Digital share (value)' },
        ])
        expect(pkg.indicators.every((i) => String(i.shortName).length <= 50)).toBe(true)
        expect((pkg.indicatorGroups[0].indicators as Array<{ id: string }>).map((i) => i.id)).toEqual(['extra000001', ...pkg.indicators.map((i) => i.id)])
    })
})
