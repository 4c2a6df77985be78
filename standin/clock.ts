/**
 * The stand-in's notion of "now". Business rules (expiry, future periods, relative periods) work on
 * the calendar date `today()`; timestamps combine that date with the real UTC time of day, so they
 * still move forward within a test.
 */
export class Clock {
    constructor(private fixedToday: string | null) {}

    setToday(date: string | null): void {
        if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`Invalid date "${date}" (expected YYYY-MM-DD)`)
        this.fixedToday = date
    }

    get fixed(): string | null {
        return this.fixedToday
    }

    /** yyyy-MM-dd (UTC). */
    today(): string {
        return this.fixedToday ?? new Date().toISOString().slice(0, 10)
    }

    now(): Date {
        const real = new Date()
        if (!this.fixedToday) return real
        return new Date(`${this.fixedToday}T${real.toISOString().slice(11)}`)
    }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** Metadata/job format: yyyy-MM-dd'T'HH:mm:ss.SSS, no zone. */
export function formatLocal(d: Date): string {
    return d.toISOString().slice(0, 23)
}

/** Data value format: yyyy-MM-dd'T'HH:mm:ss.SSS+0000 (UTC). */
export function formatUtc(d: Date): string {
    return `${d.toISOString().slice(0, 23)}+0000`
}

/** Parses the date formats clients send (ISO with or without zone, date only). Null when unreadable. */
export function parseDateTime(s: unknown): Date | null {
    if (typeof s !== 'string' || !s.trim()) return null
    let t = s.trim()
    const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(t)
    if (!m) return null
    const time = m[2] ?? '00:00:00'
    let zone = m[3] ?? 'Z'
    if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`
    const frac = /\.(\d+)$/.exec(time)
    const base = time.replace(/\.\d+$/, '')
    const ms = frac ? `.${frac[1].slice(0, 3).padEnd(3, '0')}` : ''
    t = `${m[1]}T${base.length === 5 ? `${base}:00` : base}${ms}${zone}`
    const d = new Date(t)
    return Number.isNaN(d.getTime()) ? null : d
}

export function durationText(ms: number): string {
    const s = Math.floor(ms / 1000)
    const h = Math.floor(s / 3600)
    const m = Math.floor((s % 3600) / 60)
    const sec = s % 60
    return h > 0 ? `${h} h, ${m} m, ${sec} s` : m > 0 ? `${m} m, ${sec} s` : `${sec} s`
}

export { pad }
