/**
 * Personal access token formats (reference §1.2): V1 `d2pat_` + 32 + 10-digit CRC32 (2.39/2.40),
 * V2 `d2p_` + 44 + 6-char base62 CRC32 (2.41+). 2.41+ validates the checksum over the random part
 * followed by zero bytes (3 for V1, 4 for V2); 2.39/2.40 mint V1 over the 32 bytes alone.
 */
import crypto from 'node:crypto'
import zlib from 'node:zlib'

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function crc(text: string, zeroPad: number): number {
    return zlib.crc32(Buffer.concat([Buffer.from(text, 'utf8'), Buffer.alloc(zeroPad)]))
}

function base62(n: number, width: number): string {
    let s = ''
    while (n > 0) {
        s = ALNUM[n % 62] + s
        n = Math.floor(n / 62)
    }
    return s.padStart(width, '0')
}

function randomChars(n: number, seed?: string): string {
    const bytes = seed ? crypto.createHash('sha512').update(seed).digest() : crypto.randomBytes(n)
    let s = ''
    for (let i = 0; i < n; i++) s += ALNUM[bytes[i % bytes.length] % 62]
    return s
}

/** A V1 token the way 2.39/2.40 mint it (checksum over the 32 characters only). */
export function mintV1(seed?: string): string {
    const random = randomChars(32, seed)
    return `d2pat_${random}${String(crc(random, 0)).padStart(10, '0')}`
}

/** A V2 token the way 2.41+ mint it. */
export function mintV2(seed?: string): string {
    const random = randomChars(44, seed)
    return `d2p_${random}${base62(crc(random, 4), 6)}`
}

export function mintFor(minor: number, seed?: string): string {
    return minor >= 41 ? mintV2(seed) : mintV1(seed)
}

export const TOKEN_CHARS = /^[A-Za-z0-9_]+$/

/** The 2.41+ checksum validation: prefix, length and CRC32 with zero padding. */
export function checksumValid(token: string): boolean {
    if (token.startsWith('d2pat_') && token.length === 48) {
        const random = token.slice(6, 38)
        return String(crc(random, 3)).padStart(10, '0') === token.slice(38)
    }
    if (token.startsWith('d2p_') && token.length === 54) {
        const random = token.slice(4, 48)
        return base62(crc(random, 4), 6) === token.slice(48)
    }
    return false
}

/** The seeded token of user `bridge`: the same for every start of a given minor version. */
export function seedTokenFor(version: string): string {
    const minor = Number(/^2\.(\d+)/.exec(version.trim())?.[1] ?? 41)
    return mintFor(minor, `standin-seed-token-bridge-${minor >= 41 ? 'v2' : 'v1'}`)
}
