/** Longest excerpt of a value quoted in a message: a huge field must not blow up a report. */
export const MAX_QUOTED = 60

/** The value as quoted in a reason: control characters made visible, cut at MAX_QUOTED. */
export function quoteValue(value: string): string {
    // eslint-disable-next-line no-control-regex
    const flat = value.replace(/\r\n|[\r\n]/g, '⏎').replace(/[\u0000-\u001f\u007f]/g, '�')
    const chars = [...flat]
    return chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED - 1).join('')}…` : flat
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
