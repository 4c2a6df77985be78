/**
 * Time-zone arithmetic on IANA zones, independent of the host's TZ.
 *
 * Why not luxon here: (1) speed — a sync converts every line's instant to a local date at least
 * twice, and luxon costs 15–30 µs a call; (2) determinism — luxon resolves an ambiguous local
 * time (autumn fall-back) with a guess based on the *current* offset, so the same ledger would
 * give different instants in summer and in winter. This module uses Intl (the same tz data as
 * luxon) with a per-day offset cache and fixed rules:
 *   - a local time in a DST gap (does not exist) moves forward by the gap (02:30 → 03:30 in
 *     Europe/Paris on the spring day), like java.time and Temporal's "compatible";
 *   - an ambiguous local time (fall-back) takes the earlier instant (the first occurrence).
 * Assumption: a zone changes offset at most once per UTC day (true of the whole tz database
 * in practice).
 */

import { civilFromDays } from './instant'

const DAY_MS = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
    let f = formatters.get(zone)
    if (!f) {
        // Throws RangeError for an unknown zone.
        f = new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            era: 'short',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
        })
        formatters.set(zone, f)
    }
    return f
}

/** True when `zone` is an IANA zone this runtime knows. */
export function isValidZone(zone: string): boolean {
    if (typeof zone !== 'string' || !zone) return false
    try {
        formatter(zone)
        return true
    } catch {
        return false
    }
}

/** Offset (local − UTC, in ms) of `zone` at instant `ms`, straight from Intl (no cache). */
function rawOffset(zone: string, ms: number): number {
    const secondMs = Math.floor(ms / 1000) * 1000
    const parts = formatter(zone).formatToParts(new Date(secondMs))
    let year = 0
    let month = 0
    let day = 0
    let hour = 0
    let minute = 0
    let second = 0
    let bc = false
    for (const p of parts) {
        switch (p.type) {
            case 'year':
                year = Number(p.value)
                break
            case 'month':
                month = Number(p.value)
                break
            case 'day':
                day = Number(p.value)
                break
            case 'hour':
                hour = Number(p.value)
                break
            case 'minute':
                minute = Number(p.value)
                break
            case 'second':
                second = Number(p.value)
                break
            case 'era':
                bc = /^b/i.test(p.value)
                break
        }
    }
    if (bc) year = 1 - year
    const d = new Date(0)
    d.setUTCFullYear(year, month - 1, day)
    d.setUTCHours(hour, minute, second, 0)
    return d.getTime() - secondMs
}

interface DayOffsets {
    /** Offset from the start of the UTC day up to `switchAt` (exclusive). */
    before: number
    /** Offset from `switchAt` to the end of the day. */
    after: number
    /** Instant of the offset change inside the day; +Infinity when none. */
    switchAt: number
}

const dayCache = new Map<string, Map<number, DayOffsets>>()
const MAX_DAYS_PER_ZONE = 200_000

function dayOffsets(zone: string, dayIndex: number): DayOffsets {
    let days = dayCache.get(zone)
    if (!days) {
        days = new Map()
        dayCache.set(zone, days)
    }
    let d = days.get(dayIndex)
    if (d) return d
    const start = dayIndex * DAY_MS
    const end = start + DAY_MS - 1000
    const before = rawOffset(zone, start)
    const after = rawOffset(zone, end)
    if (before === after) {
        d = { before, after, switchAt: Infinity }
    } else {
        // Binary search of the first second with the new offset (Intl has second precision).
        let lo = start // has `before`
        let hi = end // has `after`
        while (hi - lo > 1000) {
            const mid = lo + Math.floor((hi - lo) / 2000) * 1000
            if (rawOffset(zone, mid) === before) lo = mid
            else hi = mid
        }
        d = { before, after, switchAt: hi }
    }
    if (days.size >= MAX_DAYS_PER_ZONE) days.clear()
    days.set(dayIndex, d)
    return d
}

// A few recent (zone, day) answers in front of the maps: a ledger is read in date order, and
// each date-time asks about the day before and the day after too (direct-mapped on the day).
const SLOTS = 16
const slotZone: Array<string | null> = new Array(SLOTS).fill(null)
const slotDay = new Float64Array(SLOTS)
const slotOffsets: Array<DayOffsets | null> = new Array(SLOTS).fill(null)

/** Offset (local − UTC, in ms) of `zone` at the instant `ms`. */
export function zoneOffsetMs(zone: string, ms: number): number {
    const day = Math.floor(ms / DAY_MS)
    const slot = day & (SLOTS - 1)
    let d = slotOffsets[slot]
    if (d === null || slotDay[slot] !== day || slotZone[slot] !== zone) {
        d = dayOffsets(zone, day)
        slotZone[slot] = zone
        slotDay[slot] = day
        slotOffsets[slot] = d
    }
    return ms < d.switchAt ? d.before : d.after
}

/** The local wall-clock fields of instant `ms` in `zone`. */
export interface LocalFields {
    year: number
    month: number
    day: number
    hour: number
    minute: number
    second: number
    millisecond: number
}

export function localFields(ms: number, zone: string): LocalFields {
    const local = ms + zoneOffsetMs(zone, ms)
    if (Number.isInteger(local) && Math.abs(local) <= 8.64e15) {
        // By arithmetic: this runs for every line (its period), Date's getters cost more.
        const days = Math.floor(local / DAY_MS)
        const { year, month, day } = civilFromDays(days)
        let rest = local - days * DAY_MS
        const millisecond = rest % 1000
        rest = (rest - millisecond) / 1000
        const second = rest % 60
        rest = (rest - second) / 60
        const minute = rest % 60
        return { year, month, day, hour: (rest - minute) / 60, minute, second, millisecond }
    }
    const wall = new Date(local)
    return {
        year: wall.getUTCFullYear(),
        month: wall.getUTCMonth() + 1,
        day: wall.getUTCDate(),
        hour: wall.getUTCHours(),
        minute: wall.getUTCMinutes(),
        second: wall.getUTCSeconds(),
        millisecond: wall.getUTCMilliseconds(),
    }
}

/** The wall clock as if it were UTC, in ms (no validation: callers check ranges first). */
export function wallMs(f: LocalFields): number {
    // Date.UTC reads years 0–99 as 1900–1999: only those take the slower path.
    if (f.year >= 100) return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond)
    const d = new Date(0)
    d.setUTCFullYear(f.year, f.month - 1, f.day)
    d.setUTCHours(f.hour, f.minute, f.second, f.millisecond)
    return d.getTime()
}

/**
 * The instant of a local wall-clock time in `zone`. Gap → forward by the gap; overlap → the
 * earlier instant (see the module comment).
 */
export function localToUtcMs(f: LocalFields, zone: string): number {
    return wallToUtcMs(wallMs(f), zone)
}

/** localToUtcMs for a wall clock already written as if it were UTC, in ms. */
export function wallToUtcMs(wall: number, zone: string): number {
    // The offsets in force around that wall time: at most one change in between.
    const oBefore = zoneOffsetMs(zone, wall - DAY_MS)
    const oAfter = zoneOffsetMs(zone, wall + DAY_MS)
    // No change around that wall time (nearly always): one offset, whichever branch below.
    if (oBefore === oAfter) return wall - oBefore
    const candidates: number[] = []
    for (const o of oBefore === oAfter ? [oBefore] : [oBefore, oAfter]) {
        const t = wall - o
        if (zoneOffsetMs(zone, t) === o) candidates.push(t)
    }
    if (candidates.length) return Math.min(...candidates)
    // Nonexistent local time: read it with the offset before the change, which lands after it.
    return wall - oBefore
}

export { DAY_MS }
