import { createHash } from 'node:crypto'
import type { HttpSourceConfig } from '../../config/sources'
import type { StateDb } from '../../state/db'
import type { LedgerItem } from '../csv-source'
import { normaliseRow, type NormaliseContext } from '../normalise'
import { flatten, getPath, httpItems } from './http-client'
import { RecordMapper, resolveMapping } from './mapping'
import type { LedgerSource, SourceDeps } from './source'
import { loadCursor, saveCursor } from './state'
import { newStats, type SourceStats } from './tabular'

/**
 * A billing system's REST API returning JSON: paged by page number, offset or a next-page
 * cursor; bearer or Basic credentials from the environment; items flattened to dotted paths
 * (`facility.code`) and mapped like any other source; optionally one row per element of an
 * array inside each item (a receipt's lines). The since-cursor — the largest value of
 * `since.field` read — is sent as `since.param` next time, once commit() has stored it.
 */

export { flatten, getPath } from './http-client'

/** Later of two since values: ISO date-times by instant, numbers by value, else text order. */
export function laterOf(a: string | number | null, b: string | number): string | number {
    if (a === null) return b
    if (typeof a === 'number' && typeof b === 'number') return b > a ? b : a
    const ta = Date.parse(String(a))
    const tb = Date.parse(String(b))
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return tb > ta ? b : a
    return String(b) > String(a) ? b : a
}

export class HttpSource implements LedgerSource {
    readonly stats: SourceStats
    private readonly mapper: RecordMapper
    private readonly signature: string
    private pending: string | number | null = null
    private reached: string | number | null = null
    remaining: number | null = null
    readonly kind = 'http' as const

    constructor(
        private readonly cfg: HttpSourceConfig,
        private readonly db: StateDb,
        private readonly deps: SourceDeps
    ) {
        const mapping = resolveMapping(cfg.preset, cfg.mapping)
        this.mapper = new RecordMapper(mapping, { spreadsheet: false })
        this.stats = newStats(mapping.exclude.length)
        this.signature = createHash('sha256')
            .update(JSON.stringify({ url: cfg.url, since: cfg.since ?? null, items: cfg.items, explode: cfg.explode ?? null }))
            .digest('hex')
            .slice(0, 16)
    }

    get name(): string {
        return this.cfg.name
    }

    position(): string | number | null {
        return this.since()
    }

    /** The since value the next request starts from (stored, or since.start). */
    since(): string | number | null {
        if (!this.cfg.since) return null
        const stored = loadCursor(this.db, this.cfg.name)
        if (stored && stored.signature === this.signature) return (JSON.parse(stored.position) as { since: string | number }).since
        if (stored) {
            this.deps.log({
                fr: `Source ${this.cfg.name} : l'adresse ou le curseur a changé depuis la dernière lecture, tout est relu`,
                en: `Source ${this.cfg.name}: the address or cursor changed since the last read, everything is read again`,
            })
        }
        return this.cfg.since.start ?? null
    }

    async *read(ctx: NormaliseContext): AsyncGenerator<LedgerItem> {
        const cfg = this.cfg
        this.pending = null
        this.reached = null
        const since = this.since()
        const meter = this.deps.progress?.(cfg.name) ?? null
        const params = since !== null && cfg.since ? { [cfg.since.param]: since } : {}
        let n = 0
        try {
            const total = (t: number | null) => {
                if (this.remaining === null) this.remaining = t
            }
            for await (const it of httpItems(cfg, this.deps.env, params, total)) {
                for (const item of this.items(it, ++n, ctx)) yield item
                if (cfg.since) {
                    const v = getPath(it, cfg.since.field)
                    if (typeof v === 'string' || typeof v === 'number') this.reached = laterOf(this.reached, v)
                }
                meter?.update(n, this.remaining ? Math.min(1, n / this.remaining) : null)
            }
            this.pending = this.reached !== null ? laterOf(since, this.reached) : null
        } finally {
            meter?.done()
        }
    }

    /** One API item → one ledger row, or one per element of `explode`. */
    private *items(it: unknown, n: number, ctx: NormaliseContext): Generator<LedgerItem> {
        const cfg = this.cfg
        const records: Array<{ rec: Record<string, unknown>; lineNo?: string }> = []
        if (cfg.explode) {
            const parent = { ...(it as Record<string, unknown>) }
            const lines = getPath(it, cfg.explode)
            // Remove the array from the parent so that only its elements' fields are mapped.
            const top = cfg.explode.split('.')
            let holder: Record<string, unknown> = parent
            for (let i = 0; i < top.length - 1; i++) {
                holder[top[i]] = { ...(holder[top[i]] as Record<string, unknown>) }
                holder = holder[top[i]] as Record<string, unknown>
            }
            delete holder[top[top.length - 1]]
            const base = flatten(parent)
            if (Array.isArray(lines)) {
                lines.forEach((line, i) => records.push({ rec: { ...base, ...flatten(line, cfg.explode) }, lineNo: String(i + 1) }))
            }
        } else records.push({ rec: flatten(it) })
        for (const { rec, lineNo } of records) {
            this.stats.rows++
            const pos = { file: cfg.name, line: n }
            const out = this.mapper.map(rec, lineNo ? { line_no: lineNo } : undefined)
            if (out.kind === 'excluded') {
                this.stats.excluded++
                this.stats.excludedByRule[out.rule]++
                continue
            }
            if (out.kind === 'error') {
                this.stats.quarantined++
                yield { kind: 'quarantine', entry: { file: pos.file, line: n, column: out.column, reason: out.reason, raw: out.raw } }
                continue
            }
            const r = normaliseRow(out.raw, pos, ctx)
            if (r.ok) this.stats.lines++
            else this.stats.quarantined++
            yield r.ok ? { kind: 'line', line: r.line, pos } : { kind: 'quarantine', entry: r.entry }
        }
    }

    commit(db: StateDb): void {
        if (this.pending === null) return
        saveCursor(db, this.cfg.name, this.signature, JSON.stringify({ since: this.pending }), this.deps.now().toISOString())
        this.pending = null
    }
}
