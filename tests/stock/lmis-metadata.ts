import type { Standin } from '../../standin'

/** The LMIS data set of the stock tests, in the shape "one data element per product, one category option per stock variable" (reference §2.1). */
const ADMIN = `Basic ${Buffer.from('admin:district').toString('base64')}`

export async function adminApi<T = any>(standin: Standin, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${standin.url}/api/${path}`, {
        method,
        headers: { Authorization: ADMIN, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
}

const VARIABLES = [
    ['LMIS_SI', 'Stock initial'],
    ['LMIS_RECU', 'Quantité reçue'],
    ['LMIS_DIST', 'Quantité distribuée'],
    ['LMIS_SDU', 'Stock disponible utilisable'],
    ['LMIS_JR', 'Jours de rupture'],
] as const

/** Creates the LMIS metadata through POST /api/metadata; returns the data set UID. */
export async function installLmis(standin: Standin): Promise<string> {
    const api = (method: string, path: string, body?: unknown) => adminApi(standin, method, path, body)
    const ous = await api('GET', 'organisationUnits?filter=code:in:[ML-BKO-HDB,ML-BKO-CHUGT,ML-SIK-HRS]&fields=id,code&paging=false')
    const ou = Object.fromEntries(ous.body.organisationUnits.map((o: any) => [o.code, o.id]))
    const element = (code: string, name: string) => ({
        code,
        name,
        shortName: name,
        valueType: 'INTEGER_ZERO_OR_POSITIVE',
        aggregationType: 'SUM',
        domainType: 'AGGREGATE',
        zeroIsSignificant: true,
        categoryCombo: { code: 'LMIS_CC_VAR' },
    })
    const res = await api('POST', 'metadata?identifier=AUTO', {
        categoryOptions: VARIABLES.map(([code, name]) => ({ code, name, shortName: name })),
        categories: [{ code: 'LMIS_VAR', name: 'Variable de stock', shortName: 'Variable de stock', dataDimensionType: 'DISAGGREGATION', categoryOptions: VARIABLES.map(([code]) => ({ code })) }],
        categoryCombos: [{ code: 'LMIS_CC_VAR', name: 'Variables de stock', dataDimensionType: 'DISAGGREGATION', categories: [{ code: 'LMIS_VAR' }] }],
        dataElements: [element('LMIS_AMOX500', 'Amoxicilline 500 mg gélule'), element('LMIS_PARA500', 'Paracétamol 500 mg comprimé'), element('LMIS_SRO', 'SRO sachet')],
        dataSets: [
            {
                code: 'LMIS_MONTHLY',
                name: 'Rapport mensuel de stock (LMIS)',
                shortName: 'LMIS mensuel',
                periodType: 'Monthly',
                openFuturePeriods: 1,
                dataSetElements: [{ dataElement: { code: 'LMIS_AMOX500' } }, { dataElement: { code: 'LMIS_PARA500' } }, { dataElement: { code: 'LMIS_SRO' } }],
                organisationUnits: [{ id: ou['ML-BKO-HDB'] }, { id: ou['ML-SIK-HRS'] }],
            },
        ],
    })
    if (res.status !== 200) throw new Error(`LMIS metadata: ${JSON.stringify(res.body)}`)
    const ds = await api('GET', 'dataSets?filter=code:eq:LMIS_MONTHLY&fields=id')
    return ds.body.dataSets[0].id
}

