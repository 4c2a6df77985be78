import type { QuarantineEntry } from '../../domain/line'
import { keptRaw, KEPT_COLUMNS, KNOWN_COLUMNS, PERSONAL_COLUMNS, REQUIRED_COLUMNS, MATCH_COLUMNS } from '../columns'
import { MAPPING_TARGETS } from '../../config/sources'
import { normaliseRow, type NormaliseContext, type RowPosition } from '../normalise'
import type { LedgerLine } from '../../domain/line'

/**
 * What kind of row a table or record source yields: the ledger's lines (docs/contract.md §2), or — through
 * the same readers, mappings and presets — an operator statement's rows or a cash count's rows
 * (docs/contract.md §7). The kind names its canonical columns and how a mapped raw row becomes
 * a typed item; the readers (tabular.ts, mapping.ts) stay the same for every kind.
 */
export interface RowKind<T> {
    /** For messages and tests. */
    readonly name: 'ledger' | 'statement' | 'cash-count'
    /** Columns the header must supply (or a mapping default). */
    readonly required: readonly string[]
    /** Canonical names a header may carry without a mapping (passed through). */
    readonly targets: ReadonlySet<string>
    /** Canonical columns known to this kind (for the "not recognised" list). */
    readonly known: ReadonlySet<string>
    /** Never copied to a quarantine entry; a doubled personal column is not an error. */
    readonly personal: ReadonlySet<string>
    /** Columns handed to `normalise` (personal ones included when the kind needs them). */
    readonly kept: ReadonlySet<string>
    /** The raw row as a quarantine entry keeps it (allow-list, values cut). */
    quarantineRaw(texts: Record<string, string>): Record<string, string>
    normalise(raw: Record<string, string>, pos: RowPosition, ctx: NormaliseContext): { ok: true; value: T } | { ok: false; entry: QuarantineEntry }
}

export type KindItem<T> = { kind: 'row'; value: T; pos: RowPosition } | { kind: 'quarantine'; entry: QuarantineEntry }

/** The ledger (docs/contract.md §2): the behaviour the readers always had. */
export const LEDGER_KIND: RowKind<LedgerLine> = {
    name: 'ledger',
    required: REQUIRED_COLUMNS,
    targets: new Set(MAPPING_TARGETS),
    known: KNOWN_COLUMNS,
    personal: new Set(PERSONAL_COLUMNS),
    // operator_ref and cashier_id reach normaliseRow, which keeps only a keyed hash of them
    // (local reconciliation, docs/contract.md §7); the other personal columns never do.
    kept: new Set([...KEPT_COLUMNS, ...MATCH_COLUMNS]),
    quarantineRaw: keptRaw,
    normalise(raw, pos, ctx) {
        const r = normaliseRow(raw, pos, ctx)
        return r.ok ? { ok: true, value: r.line } : r
    },
}
