import { createHmac, randomBytes } from 'node:crypto'
import { getMeta, setMeta, type StateDb } from '../state/db'

/**
 * The keyed hash that lets reconciliation compare the ledger's operator_ref and cashier_id with
 * a statement's reference and a cash count's cashier without the state ever holding them
 * (docs/contract.md §7). The key is random, made once per state and kept in it: a hash means
 * nothing on another machine, and a dictionary of cashier ids cannot be tried without the state.
 * Case and surrounding spaces are ignored, as docs/contract.md §7 says for references.
 */
const META_KEY = 'recon_match_key'

export type MatchKey = (value: string) => string

export function makeMatchKey(secret: Buffer): MatchKey {
    // Cashier ids repeat a handful of values over a million lines: hash each spelling once.
    const seen = new Map<string, string>()
    return (value) => {
        let h = seen.get(value)
        if (h === undefined) {
            h = createHmac('sha256', secret).update(value.trim().toLowerCase()).digest('base64url').slice(0, 22)
            if (seen.size > 10_000) seen.clear()
            seen.set(value, h)
        }
        return h
    }
}

/**
 * The state's match key; made and stored on first use unless `create` is false (a dry run records
 * nothing: without a key yet, lines are read without hashes, as before).
 */
export function matchKeyFor(db: StateDb, create = true): MatchKey | undefined {
    let hex = getMeta(db, META_KEY)
    if (!hex) {
        if (!create) return undefined
        hex = randomBytes(32).toString('hex')
        setMeta(db, META_KEY, hex)
    }
    return makeMatchKey(Buffer.from(hex, 'hex'))
}
