import type { Bilingual } from '../../domain/line'
import type { NormaliseContext } from '../normalise'
import type { LedgerSource, SourceKind } from './source'
import type { SourceStats } from './tabular'
import { describe, isKnown } from '../../errors'

/**
 * What a source holds, for `revenue-bridge config check`: read as the next sync would (from
 * the stored cursor, new files only), nothing committed. Counts by facility and the channel and
 * service spellings nobody maps yet.
 */
export interface SourceReport {
    name: string
    kind: SourceKind | null
    /** Rows read (lines + quarantined), up to the limit. */
    rows: number
    lines: number
    quarantined: number
    excluded: number
    /** true when the limit stopped the read. */
    truncated: boolean
    facilities: Record<string, number>
    unmappedChannels: Record<string, number>
    unmappedServices: Record<string, number>
    /** Other quarantine reasons, counted (first words of the English reason as key). */
    problems: Array<{ column: string | null; reason: Bilingual; count: number }>
    position: unknown
    error: Bilingual | null
}

const bump = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1
}

export async function inspectSource(source: LedgerSource, ctx: NormaliseContext, limit = Infinity): Promise<SourceReport> {
    const report: SourceReport = {
        name: source.name,
        kind: source.kind ?? null,
        rows: 0,
        lines: 0,
        quarantined: 0,
        excluded: 0,
        truncated: false,
        facilities: {},
        unmappedChannels: {},
        unmappedServices: {},
        problems: [],
        position: null,
        error: null,
    }
    try {
        report.position = source.position?.() ?? null
    } catch {
        report.position = null
    }
    const problems = new Map<string, { column: string | null; reason: Bilingual; count: number }>()
    try {
        for await (const item of source.read(ctx)) {
            report.rows++
            if (item.kind === 'line') {
                report.lines++
                bump(report.facilities, item.line.facilityCode)
            } else {
                report.quarantined++
                const e = item.entry
                if (e.raw.facility_code) bump(report.facilities, e.raw.facility_code)
                if (e.column === 'channel' && e.raw.channel) bump(report.unmappedChannels, e.raw.channel.trim())
                else if (e.column === 'service' && e.raw.service) bump(report.unmappedServices, e.raw.service.trim())
                else {
                    // Group by the reason without the quoted value, so one bad column shows once.
                    const key = `${e.column}|${e.reason.en.replace(/"[^"]*"/g, '"…"')}`
                    const p = problems.get(key)
                    if (p) p.count++
                    else problems.set(key, { column: e.column, reason: e.reason, count: 1 })
                }
            }
            if (report.rows >= limit) {
                report.truncated = true
                break
            }
        }
    } catch (e) {
        if (!isKnown(e)) throw e
        report.error = describe(e)
    }
    const stats: SourceStats | undefined = source.stats
    report.excluded = stats?.excluded ?? 0
    report.problems = [...problems.values()].sort((a, b) => b.count - a.count).slice(0, 10)
    return report
}
