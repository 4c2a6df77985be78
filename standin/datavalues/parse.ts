/**
 * Data value set bodies: JSON (unknown keys ignored, empty strings → null, numbers coerced to
 * strings), CSV (positional columns, header row skipped by default) and DXF2 XML (attributes).
 */
import { parse as parseCsv } from 'csv-parse/sync'

export interface DvsHeader {
    dataSet?: string
    completeDate?: string
    period?: string
    orgUnit?: string
    attributeOptionCombo?: string
    attributeCategoryOptions?: string[]
    idScheme?: string
    dataElementIdScheme?: string
    orgUnitIdScheme?: string
    categoryOptionComboIdScheme?: string
    attributeOptionComboIdScheme?: string
    dataSetIdScheme?: string
    dryRun?: boolean
    strategy?: string
}

export interface DvInput {
    dataElement?: string
    period?: string
    orgUnit?: string
    categoryOptionCombo?: string
    attributeOptionCombo?: string
    value?: string
    comment?: string
    storedBy?: string
    created?: string
    lastUpdated?: string
    followup?: boolean
    deleted?: boolean
}

export interface DvsInput {
    header: DvsHeader
    values: DvInput[]
}

export type ParseResult = { ok: true; input: DvsInput } | { ok: false; message: string }

const HEADER_STRINGS = [
    'dataSet',
    'completeDate',
    'period',
    'orgUnit',
    'attributeOptionCombo',
    'idScheme',
    'dataElementIdScheme',
    'orgUnitIdScheme',
    'categoryOptionComboIdScheme',
    'attributeOptionComboIdScheme',
    'dataSetIdScheme',
    'strategy',
] as const
const VALUE_STRINGS = ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'comment', 'storedBy', 'created', 'lastUpdated'] as const

function asString(v: unknown): string | undefined {
    if (v === null || v === undefined) return undefined
    if (typeof v === 'string') return v === '' ? undefined : v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    return undefined
}

function asBool(v: unknown): boolean | undefined {
    if (v === null || v === undefined || v === '') return undefined
    if (typeof v === 'boolean') return v
    return ['true', '1', 't'].includes(String(v).trim().toLowerCase())
}

function typeError(expected: string, v: unknown): string {
    const found = Array.isArray(v) ? 'Array value' : v === null ? 'null value' : `${typeof v} value`
    return `Cannot deserialize value of type \`${expected}\` from ${found}`
}

export function parseJsonBody(text: string): ParseResult {
    let raw: unknown
    if (!text.trim()) return { ok: false, message: 'No content to map due to end-of-input' }
    try {
        raw = JSON.parse(text)
    } catch (e) {
        return { ok: false, message: `Unexpected character: ${(e as Error).message}` }
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: typeError('org.hisp.dhis.dxf2.datavalueset.DataValueSet', raw) }
    const obj = raw as Record<string, unknown>
    const header: DvsHeader = {}
    for (const k of HEADER_STRINGS) {
        const v = asString(obj[k])
        if (v !== undefined) header[k] = v
    }
    if (Array.isArray(obj.attributeCategoryOptions)) header.attributeCategoryOptions = obj.attributeCategoryOptions.map(String)
    const dry = asBool(obj.dryRun)
    if (dry !== undefined) header.dryRun = dry
    const values: DvInput[] = []
    if (obj.dataValues !== undefined && obj.dataValues !== null) {
        if (!Array.isArray(obj.dataValues)) return { ok: false, message: typeError('java.util.ArrayList<org.hisp.dhis.dxf2.datavalue.DataValue>', obj.dataValues) }
        for (const item of obj.dataValues) {
            if (!item || typeof item !== 'object' || Array.isArray(item)) return { ok: false, message: typeError('org.hisp.dhis.dxf2.datavalue.DataValue', item) }
            const dv: DvInput = {}
            const o = item as Record<string, unknown>
            for (const k of VALUE_STRINGS) {
                const v = asString(o[k])
                if (v !== undefined) dv[k] = v
            }
            const f = asBool(o.followup)
            if (f !== undefined) dv.followup = f
            const d = asBool(o.deleted)
            if (d !== undefined) dv.deleted = d
            values.push(dv)
        }
    }
    return { ok: true, input: { header, values } }
}

/** DHIS2 CSV: dataelement, period, orgunit, catoptcombo, attroptcombo, value, storedby, lastupdated, comment, followup, deleted. */
export function parseCsvBody(text: string, firstRowIsHeader: boolean): ParseResult {
    let rows: string[][]
    try {
        rows = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][]
    } catch (e) {
        return { ok: false, message: (e as Error).message }
    }
    if (firstRowIsHeader) rows = rows.slice(1)
    const s = (v: string | undefined) => (v === undefined || v === '' ? undefined : v)
    const values: DvInput[] = rows.map((r) => {
        const dv: DvInput = {}
        const set = (k: keyof DvInput, v: string | undefined) => {
            if (v !== undefined) (dv as Record<string, unknown>)[k] = v
        }
        set('dataElement', s(r[0]))
        set('period', s(r[1]))
        set('orgUnit', s(r[2]))
        set('categoryOptionCombo', s(r[3]))
        set('attributeOptionCombo', s(r[4]))
        set('value', s(r[5]))
        set('storedBy', s(r[6]))
        set('lastUpdated', s(r[7]))
        set('comment', s(r[8]))
        const f = asBool(s(r[9]))
        if (f !== undefined) dv.followup = f
        const d = asBool(s(r[10]))
        if (d !== undefined) dv.deleted = d
        return dv
    })
    return { ok: true, input: { header: {}, values } }
}

function xmlAttributes(tag: string): Record<string, string> {
    const out: Record<string, string> = {}
    const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    for (const m of tag.matchAll(/([\w:]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]] = decode(m[3] ?? m[4] ?? '')
    return out
}

/** DXF2 XML: `<dataValueSet dataSet=… period=…><dataValue dataElement=… value=…/></dataValueSet>`. */
export function parseXmlBody(text: string): ParseResult {
    const root = /<dataValueSet\b([^>]*?)\/?>/.exec(text)
    if (!root) return { ok: false, message: 'Unexpected XML: no dataValueSet element' }
    const h = xmlAttributes(root[1])
    const header: DvsHeader = {}
    for (const k of HEADER_STRINGS) if (h[k]) header[k] = h[k]
    if (h.dryRun) header.dryRun = asBool(h.dryRun)
    const values: DvInput[] = []
    for (const m of text.matchAll(/<dataValue\b([^>]*?)\/?>/g)) {
        const a = xmlAttributes(m[1])
        const dv: DvInput = {}
        for (const k of VALUE_STRINGS) if (a[k]) dv[k] = a[k]
        if (!dv.lastUpdated && a.timestamp) dv.lastUpdated = a.timestamp
        if (a.followup) dv.followup = asBool(a.followup)
        if (a.deleted) dv.deleted = asBool(a.deleted)
        values.push(dv)
    }
    return { ok: true, input: { header, values } }
}

export function parseBody(contentType: string | undefined, text: string, firstRowIsHeader: boolean): ParseResult {
    const ct = (contentType ?? '').toLowerCase()
    if (ct.includes('csv')) return parseCsvBody(text, firstRowIsHeader)
    if (ct.includes('xml')) return parseXmlBody(text)
    return parseJsonBody(text)
}
