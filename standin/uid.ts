import crypto from 'node:crypto'

// DHIS2 UIDs: 11 characters, a letter first, then letters or digits (CodeGenerator).
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const ALPHANUM = '0123456789' + LETTERS
export const UID_RE = /^[a-zA-Z][a-zA-Z0-9]{10}$/

export function isValidUid(s: unknown): s is string {
    return typeof s === 'string' && UID_RE.test(s)
}

function fromBytes(bytes: Buffer): string {
    let out = LETTERS[bytes[0] % LETTERS.length]
    for (let i = 1; i < 11; i++) out += ALPHANUM[bytes[i] % ALPHANUM.length]
    return out
}

export function generateUid(): string {
    return fromBytes(crypto.randomBytes(11))
}

/** A stable UID derived from a seed string, so seed objects keep their UIDs from one start to the next. */
export function uidFromSeed(seed: string): string {
    return fromBytes(crypto.createHash('sha256').update(`standin:${seed}`).digest())
}
