/**
 * Reads what the DHIS2 server holds, in codes, through the public Web API only — independent of
 * the bridge's code, so the tests check the server's state and not the bridge's own belief.
 */
const ADMIN = 'Basic ' + Buffer.from('admin:district').toString('base64')

export async function api<T = any>(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}/api/${path}`, {
        ...init,
        headers: { Authorization: ADMIN, Accept: 'application/json', 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
}

/** Map "DE_CODE|period|OU_CODE|option codes sorted, joined by +" → value, for non-deleted values. */
export async function readPayrevValues(base: string, dataSetCode = 'PAYREV_MONTHLY'): Promise<Record<string, string>> {
    const cocs = await api<{ categoryOptionCombos: Array<{ id: string; categoryOptions: Array<{ code?: string }> }> }>(
        base,
        'categoryOptionCombos?fields=id,categoryOptions[code]&paging=false'
    )
    const cocCodes = new Map(cocs.body.categoryOptionCombos.map((c) => [c.id, c.categoryOptions.map((o) => o.code ?? '?').sort().join('+')]))
    const des = await api<{ dataElements: Array<{ id: string; code: string }> }>(base, 'dataElements?fields=id,code&paging=false')
    const deCodes = new Map(des.body.dataElements.map((d) => [d.id, d.code]))
    const ous = await api<{ organisationUnits: Array<{ id: string; code: string; level: number }> }>(base, 'organisationUnits?fields=id,code,level&paging=false')
    const ouCodes = new Map(ous.body.organisationUnits.map((o) => [o.id, o.code]))
    const root = ous.body.organisationUnits.find((o) => o.code === 'ML')!
    const ds = await api<{ dataSets: Array<{ id: string }> }>(base, `dataSets?filter=code:eq:${dataSetCode}&fields=id`)
    const dsId = ds.body.dataSets[0].id
    const values = await api<{ dataValues?: Array<{ dataElement: string; period: string; orgUnit: string; categoryOptionCombo: string; value: string }> }>(
        base,
        `dataValueSets?dataSet=${dsId}&startDate=2000-01-01&endDate=2099-12-31&orgUnit=${root.id}&children=true`
    )
    const out: Record<string, string> = {}
    for (const v of values.body.dataValues ?? []) {
        out[`${deCodes.get(v.dataElement)}|${v.period}|${ouCodes.get(v.orgUnit)}|${cocCodes.get(v.categoryOptionCombo)}`] = v.value
    }
    return out
}

/** Key builder matching readPayrevValues, from readable parts. */
export function key(de: string, period: string, ou: string, channel: string, service?: string): string {
    const options = [`PAYREV_CH_${channel}`, ...(service ? [`PAYREV_SV_${service}`] : [])].sort().join('+')
    return `${de}|${period}|${ou}|${options}`
}
