/** Small pure pieces of the analytics engine (analytics.ts): dimension parameters, aggregation, rounding. */

export interface DimParam {
    id: string
    items: string[]
    filter: boolean
}

export function parseDimensionParams(values: string[], filter: boolean): DimParam[] {
    return values
        .flatMap((v) => v.split(','))
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => {
            const i = s.indexOf(':')
            const id = i < 0 ? s : s.slice(0, i)
            const items = i < 0 ? [] : s.slice(i + 1).split(';').map((x) => x.trim()).filter(Boolean)
            return { id, items, filter }
        })
}

export function roundValue(v: number, skipRounding: boolean): string {
    const r = skipRounding ? v : Number(`${Math.round(Number(`${v}e2`))}e-2`)
    if (Number.isInteger(r)) return Math.abs(r) < 1e21 ? BigInt(r).toString() : String(r)
    return String(r)
}

export function aggregate(type: string, values: number[]): number {
    switch (type) {
        case 'COUNT':
            return values.length
        case 'MIN':
            return Math.min(...values)
        case 'MAX':
            return Math.max(...values)
        case 'AVERAGE':
        case 'AVERAGE_SUM_ORG_UNIT':
        case 'AVERAGE_SUM_INT':
            return values.reduce((a, b) => a + b, 0) / values.length
        default:
            return values.reduce((a, b) => a + b, 0)
    }
}

