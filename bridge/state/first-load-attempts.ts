import type { LedgerLine } from '../domain/line'

/**
 * During a first load (docs/contract.md §3 attempts): which payment attempts may have lines in
 * more than one scope. Recomputing a scope needs the payment lines of its attempts that lie in
 * other scopes; asking SQLite for them scope by scope (a probe per attempt) cost 2 s of a 1 M-line
 * first sync, and found none — an attempt is almost always one receipt, in one facility and one
 * period. In a first load every line passes through here, so the attempts that may span
 * scopes can be known as they arrive, and the recompute asks only for those.
 *
 * Exact where it matters: an attempt is flagged whenever it *may* span (never missed); a
 * flagged attempt that does not is only read for nothing. Memory stays small: a Bloom filter of
 * the attempts seen (about 1.2 bytes per attempt) and the flagged ones; past `maxFlagged` the
 * tracker gives up (`overflowed`) and the recompute asks SQLite for every attempt, as before.
 */
export class FirstLoadAttempts {
    private readonly seen: BloomLayers
    private readonly flagged = new Set<string>()
    private lastTransaction = ''
    private lastChannel = ''
    private lastScope = ''
    private readonly maxFlagged: number
    overflowed = false

    constructor(
        /** Whether the state holds a payment line of this attempt in another scope than `scope` (exact, SQL). */
        private readonly heldElsewhere: (transactionId: string, channel: string, scope: string) => boolean,
        opts: { firstLayerBits?: number; maxFlagged?: number } = {}
    ) {
        this.seen = new BloomLayers(opts.firstLayerBits ?? 1 << 20)
        this.maxFlagged = opts.maxFlagged ?? 100_000
    }

    /** A line stored for the first time (in `scope`). */
    sawNew(line: LedgerLine, scope: string): void {
        if (line.type !== 'PAYMENT' || this.overflowed) return
        // A receipt's lines come together: most lines belong to the attempt of the line before.
        if (line.transactionId === this.lastTransaction && line.channel === this.lastChannel) {
            if (scope !== this.lastScope) this.flag(attemptKey(line.channel, line.transactionId))
            return
        }
        const key = attemptKey(line.channel, line.transactionId)
        // Seen before (or a false positive of the filter): SQLite answers exactly.
        if (!this.seen.addIfAbsent(key) && this.heldElsewhere(line.transactionId, line.channel, scope)) this.flag(key)
        this.lastTransaction = line.transactionId
        this.lastChannel = line.channel
        this.lastScope = scope
    }

    /** A later version replaced a line in this first load: its attempts (before and after) may have moved. */
    sawChanged(before: LedgerLine, after: LedgerLine): void {
        if (this.overflowed) return
        for (const l of [before, after]) {
            if (l.type !== 'PAYMENT') continue
            const key = attemptKey(l.channel, l.transactionId)
            this.seen.add(key)
            this.flag(key)
        }
    }

    /** Whether this attempt may have payment lines in another scope (always true once overflowed). */
    mayHaveLinesElsewhere(channel: string, transactionId: string): boolean {
        return this.overflowed || (this.flagged.size > 0 && this.flagged.has(attemptKey(channel, transactionId)))
    }

    /** No attempt flagged: a scope's own lines are all its recompute needs. */
    get noneFlagged(): boolean {
        return !this.overflowed && this.flagged.size === 0
    }

    private flag(key: string): void {
        this.flagged.add(key)
        if (this.flagged.size > this.maxFlagged) {
            this.overflowed = true
            this.flagged.clear()
        }
    }
}

const attemptKey = (channel: string, transactionId: string): string => `${channel}|${transactionId}`

/**
 * A scalable Bloom filter: layers of growing size (×2), each filled to about 1 % false
 * positives (10 bits and 3 hashes per key) before the next is opened. A key is added to the
 * newest layer and looked for in all.
 */
export class BloomLayers {
    private readonly layers: Array<{ bits: Uint32Array; mask: number; count: number; capacity: number }> = []

    constructor(firstBits: number) {
        this.open(firstBits)
    }

    has(key: string): boolean {
        const h1 = hash(key)
        const h2 = second(h1)
        for (const l of this.layers) if (inLayer(l.bits, l.mask, h1, h2)) return true
        return false
    }

    add(key: string): void {
        this.addIfAbsent(key)
    }

    /** Adds the key; false when it may have been there already (the filter's answer before adding). */
    addIfAbsent(key: string): boolean {
        const h1 = hash(key)
        const h2 = second(h1)
        for (const l of this.layers) if (inLayer(l.bits, l.mask, h1, h2)) return false
        let l = this.layers[this.layers.length - 1]
        if (l.count >= l.capacity) l = this.open(l.bits.length * 64)
        for (let i = 0; i < 3; i++) {
            const bit = (h1 + i * h2) & l.mask
            l.bits[bit >>> 5] |= 1 << (bit & 31)
        }
        l.count++
        return true
    }

    private open(bits: number) {
        // A power of two, at least 64 bits, so that a mask picks the bit.
        const size = Math.max(64, 2 ** Math.ceil(Math.log2(bits)))
        const layer = { bits: new Uint32Array(size / 32), mask: size - 1, count: 0, capacity: Math.max(1, Math.floor(size / 10)) }
        this.layers.push(layer)
        return layer
    }
}

function inLayer(bits: Uint32Array, mask: number, h1: number, h2: number): boolean {
    for (let i = 0; i < 3; i++) {
        const bit = (h1 + i * h2) & mask
        if ((bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false
    }
    return true
}

/** FNV-1a over UTF-16 units, 32 bits, mixed. */
function hash(s: string): number {
    let h = 0x811c9dc5
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
    // Final mix, so that nearby keys (T1, T2…) spread over the whole filter.
    h ^= h >>> 15
    h = Math.imul(h, 0x2c1b3c6d)
    h ^= h >>> 12
    return h >>> 0
}

/** The step of double hashing (odd, so that the three bits differ), from the same 32 bits remixed. */
function second(h: number): number {
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
    return (h ^ (h >>> 16)) | 1
}
