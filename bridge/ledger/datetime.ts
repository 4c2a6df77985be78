import { daysInMonth } from '../aggregate/periods'
import { isValidZone, localToUtcMs, wallMs } from '../aggregate/tz'
import type { Parsed } from './numbers'
import { quoteValue } from './text'

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * SPEC §2 date-times → UTC ISO with milliseconds and Z.
 * `YYYY-MM-DD` (local midnight), `YYYY-MM-DDTHH:MM[:SS[.fff]]` ('T', 't' or a space), then
 * optionally `Z`, `±HH:MM`, `±HHMM` (or `±HH`). No offset → local time of `zone`. Fractions
 * beyond milliseconds are truncated. Impossible dates and times (2024-02-30, 24:00, 25:00,
 * :60) are errors; a local time skipped by a DST change moves forward by the gap, an
 * ambiguous one takes the first occurrence (see aggregate/tz.ts). An offset on a date
 * without a time is not ISO 8601 and is refused.
 */
export function parseDateTime(text: string, zone: string, column: string): Parsed<string> {
    const s = text.trim()
    const m = DATE_TIME.exec(s)
    // Built only when a message needs it: most rows are valid.
    let quoted: string | undefined
    const qv = () => (quoted ??= quoteValue(text))
    if (!m) {
        const q = qv()
        const frenchDate = /^\d{1,2}\/\d{1,2}\/\d{2,4}/.test(s)
        return {
            ok: false,
            reason: {
                fr: `Date invalide « ${q} » dans ${column} : attendu AAAA-MM-JJ ou AAAA-MM-JJTHH:MM[:SS], éventuellement suivi de Z ou ±HH:MM${frenchDate ? ' (le format JJ/MM/AAAA est ambigu et n’est pas accepté)' : ''}`,
                en: `Invalid date "${q}" in ${column}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], optionally followed by Z or ±HH:MM${frenchDate ? ' (DD/MM/YYYY is ambiguous and not accepted)' : ''}`,
            },
        }
    }
    const year = Number(m[1])
    const month = Number(m[2])
    const day = Number(m[3])
    const hasTime = m[4] !== undefined
    const hour = hasTime ? Number(m[4]) : 0
    const minute = hasTime ? Number(m[5]) : 0
    const second = m[6] !== undefined ? Number(m[6]) : 0
    const millisecond = m[7] !== undefined ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
        const q = qv()
        const known = month >= 1 && month <= 12
        return {
            ok: false,
            reason: known
                ? {
                      fr: `Date impossible « ${q} » dans ${column} : le ${day} ${MONTHS_FR[month - 1]} ${year} n'existe pas`,
                      en: `Impossible date "${q}" in ${column}: ${MONTHS_EN[month - 1]} ${day}, ${year} does not exist`,
                  }
                : { fr: `Date impossible « ${q} » dans ${column} : le mois ${m[2]} n'existe pas`, en: `Impossible date "${q}" in ${column}: there is no month ${m[2]}` },
        }
    }
    if (hour > 23 || minute > 59 || second > 59) {
        const q = qv()
        return {
            ok: false,
            reason: { fr: `Heure impossible « ${q} » dans ${column} : attendu 00:00 à 23:59:59`, en: `Impossible time "${q}" in ${column}: expected 00:00 to 23:59:59` },
        }
    }
    const fields = { year, month, day, hour, minute, second, millisecond }
    let ms: number
    if (m[8]) {
        ms = wallMs(fields)
    } else if (m[9]) {
        const oh = Number(m[10])
        const om = m[11] !== undefined ? Number(m[11]) : 0
        if (oh > 23 || om > 59) {
            const q = qv()
            return { ok: false, reason: { fr: `Décalage horaire impossible « ${q} » dans ${column}`, en: `Impossible UTC offset "${q}" in ${column}` } }
        }
        const sign = m[9] === '-' ? -1 : 1
        ms = wallMs(fields) - sign * (oh * 60 + om) * 60_000
    } else {
        if (!isValidZone(zone)) {
            const q = qv()
            return {
                ok: false,
                reason: { fr: `Fuseau horaire inconnu « ${quoteValue(zone)} » pour lire ${column} « ${q} »`, en: `Unknown time zone "${quoteValue(zone)}" to read ${column} "${q}"` },
            }
        }
        ms = localToUtcMs(fields, zone)
    }
    const d = new Date(ms)
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999) {
        const q = qv()
        return { ok: false, reason: { fr: `Date hors limites « ${q} » dans ${column}`, en: `Date out of range "${q}" in ${column}` } }
    }
    return { ok: true, value: d.toISOString() }
}
