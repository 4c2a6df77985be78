/**
 * The pure streaming path: the bridge's reader (tokenizer, UTF-8 check, normaliseRow: dates in
 * the facility's zone, amounts, aliases, enums) and its period cut (linePeriod), summed per
 * docs/contract.md §3 value key (GROSS / REFUNDS of SUCCESS lines). State is one number per key: memory
 * must not depend on the number of lines.
 *
 * What it leaves out, on purpose: version precedence (a line seen twice) and attempt counting
 * (PAYMENTS / FAILED) need to remember every line or attempt. The sync does that in SQLite
 * (measured separately); the base benchmark ledger holds each line once, so these sums are
 * the contract totals for it — and the awk reference computes the same sums.
 */
import fs from 'node:fs'
import { linePeriod, valueKeyId, type AggregationContext } from '../bridge/aggregate'
import { CHANNELS, SERVICES } from '../contract/codes'
import { readCsvLedgerBatches } from '../bridge/ledger/csv-source'
import type { NormaliseContext } from '../bridge/ledger/normalise'

export interface PassResult {
    lines: number
    quarantined: number
    keys: number
    /** Σ of every key's total, to compare with the awk pass. */
    sum: number
    totals: Map<string, number>
}

const ZONE = 'Africa/Bamako'

export async function aggregatePass(file: string): Promise<PassResult> {
    const nctx: NormaliseContext = { zoneFor: () => ZONE }
    const actx: AggregationContext = { periodType: 'Monthly', zoneFor: () => ZONE }
    // Per scope (facility, period), one slot per (data element, channel, service): the key text
    // is built once per key at the end, not once per line. NaN marks a key without lines.
    const scopes = new Map<string, { facilityCode: string; period: string; sums: Float64Array }>()
    // facility → period → scope: two lookups, no key text built per line.
    const byFacility = new Map<string, Map<string, { facilityCode: string; period: string; sums: Float64Array }>>()
    const chIndex = new Map<string, number>(CHANNELS.map((c, i) => [c, i]))
    const svIndex = new Map<string, number>(SERVICES.map((s, i) => [s, i]))
    const width = CHANNELS.length * SERVICES.length
    let lines = 0
    let quarantined = 0
    for await (const batch of readCsvLedgerBatches(file, nctx)) {
        for (const item of batch) {
            if (item.kind === 'quarantine') {
                quarantined++
                continue
            }
            lines++
            const line = item.line
            if (line.status !== 'SUCCESS') continue
            const period = linePeriod(line, actx)
            let periods = byFacility.get(line.facilityCode)
            if (!periods) byFacility.set(line.facilityCode, (periods = new Map()))
            let s = periods.get(period)
            if (!s) {
                s = { facilityCode: line.facilityCode, period, sums: new Float64Array(2 * width).fill(NaN) }
                periods.set(period, s)
                scopes.set(`${line.facilityCode}|${period}`, s)
            }
            const at = (line.type === 'PAYMENT' ? 0 : width) + chIndex.get(line.channel)! * SERVICES.length + svIndex.get(line.service)!
            s.sums[at] = Number.isNaN(s.sums[at]) ? line.amountXof : s.sums[at] + line.amountXof
        }
    }
    const totals = new Map<string, number>()
    let sum = 0
    for (const s of scopes.values()) {
        for (let at = 0; at < 2 * width; at++) {
            const v = s.sums[at]
            if (Number.isNaN(v)) continue
            const rest = at % width
            const id = valueKeyId({
                dataElement: at < width ? 'PAYREV_GROSS' : 'PAYREV_REFUNDS',
                period: s.period,
                facilityCode: s.facilityCode,
                channel: CHANNELS[Math.floor(rest / SERVICES.length)],
                service: SERVICES[rest % SERVICES.length],
            })
            totals.set(id, v)
            sum += v
        }
    }
    return { lines, quarantined, keys: totals.size, sum, totals }
}

/** Peak resident set of this process (Linux), in MiB; null elsewhere. */
export function peakRssMiB(): number | null {
    try {
        const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))
        return m ? Number(m[1]) / 1024 : null
    } catch {
        return null
    }
}
