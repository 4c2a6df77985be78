import { parseScopeId, parseValueKeyId, scopeId, valueKeyId } from './keys'

test('value key ids: format and round trip', () => {
    const gross = { dataElement: 'PAYREV_GROSS' as const, period: '202402', facilityCode: 'ML-BKO-HDB', channel: 'ORANGE_MONEY' as const, service: 'PHARMACY' as const }
    expect(valueKeyId(gross)).toBe('PAYREV_GROSS|202402|ML-BKO-HDB|ORANGE_MONEY|PHARMACY')
    expect(parseValueKeyId('PAYREV_GROSS|202402|ML-BKO-HDB|ORANGE_MONEY|PHARMACY')).toEqual(gross)
    const payments = { dataElement: 'PAYREV_PAYMENTS' as const, period: '2025W1', facilityCode: 'ML-BKO-HDB', channel: 'CASH' as const, service: null }
    expect(valueKeyId(payments)).toBe('PAYREV_PAYMENTS|2025W1|ML-BKO-HDB|CASH|')
    expect(parseValueKeyId('PAYREV_PAYMENTS|2025W1|ML-BKO-HDB|CASH|')).toEqual(payments)
})

test('a facility code with "|" survives the round trip', () => {
    const k = { dataElement: 'PAYREV_FAILED' as const, period: '20240201', facilityCode: 'A|B', channel: 'CARD' as const, service: null }
    expect(parseValueKeyId(valueKeyId(k))).toEqual(k)
    expect(parseScopeId(scopeId('A|B', '202401'))).toEqual({ facilityCode: 'A|B', period: '202401' })
})

test.each(['', 'PAYREV_GROSS|202402', 'NOPE|202402|F|CASH|', 'PAYREV_GROSS|202402|F|BITCOIN|', 'PAYREV_GROSS|202402|F|CASH|SPA'])('rejects %j', (id) => {
    expect(() => parseValueKeyId(id)).toThrow()
})

test('scope ids', () => {
    expect(scopeId('ML-BKO-HDB', '202402')).toBe('ML-BKO-HDB|202402')
    expect(() => parseScopeId('nopipe')).toThrow()
})
