/** Longest excerpt of a value quoted in a message: a huge field must not blow up a report. */
export const MAX_QUOTED = 60

/** The value as quoted in a reason: control characters made visible, cut at MAX_QUOTED. */
export function quoteValue(value: string): string {
    // eslint-disable-next-line no-control-regex
    const flat = value.replace(/\r\n|[\r\n]/g, '⏎').replace(/[\u0000-\u001f\u007f]/g, '�')
    const chars = [...flat]
    return chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED - 1).join('')}…` : flat
}

/**
 * text.trim(), without the call when there is nothing to trim: a cell that starts and ends with a
 * visible ASCII character (nearly every ledger cell) is returned as is. trim() is a builtin call
 * per cell, and a ledger line has fourteen cells.
 */
export function trimmed(text: string): string {
    const n = text.length
    if (n === 0) return text
    const a = text.charCodeAt(0)
    const b = text.charCodeAt(n - 1)
    return a > 0x20 && a < 0x7f && b > 0x20 && b < 0x7f ? text : text.trim()
}

/** Alias lookup key: accents, case, surrounding and repeated spaces, '_' and '-' ignored. */
export function foldKey(value: string): string {
    return value
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[\s_-]+/gu, ' ')
        .trim()
}
