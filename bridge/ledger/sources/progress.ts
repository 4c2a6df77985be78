import type { Lang } from '../../report/lang'

/**
 * Progress of a long read on one terminal line (rows, rows per second, estimated time left).
 * Written only when the caller says so (stderr is a terminal, not --json, not the scheduler);
 * silent for the first second so short reads print nothing; the line is wiped when done.
 */
export interface ProgressSink {
    write(s: string): unknown
}

export interface ProgressOptions {
    lang: Lang
    now?: () => number
    /** Wait this long before the first line (ms). */
    delayMs?: number
    /** At most one line per this many ms. */
    everyMs?: number
}

function clock(seconds: number): string {
    const s = Math.max(0, Math.round(seconds))
    const h = Math.floor(s / 3600)
    const m = Math.floor((s % 3600) / 60)
    const r = s % 60
    return h ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`
}

export class Progress {
    private readonly started: number
    private last = 0
    private shown = false
    private readonly now: () => number
    private readonly fmt: Intl.NumberFormat

    constructor(
        private readonly label: string,
        private readonly sink: ProgressSink,
        private readonly opts: ProgressOptions
    ) {
        this.now = opts.now ?? (() => Date.now())
        this.started = this.now()
        this.fmt = new Intl.NumberFormat(opts.lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 0 })
    }

    /** The line for `rows` read and `fraction` (0–1, or null when the total is unknown) done. */
    line(rows: number, fraction: number | null): string {
        const elapsed = Math.max(0.001, (this.now() - this.started) / 1000)
        const rate = rows / elapsed
        const fr = this.opts.lang === 'fr'
        let text = `${this.label} : ${this.fmt.format(rows)} ${fr ? 'lignes' : 'rows'}, ${this.fmt.format(rate)} ${fr ? 'lignes/s' : 'rows/s'}`
        if (!fr) text = text.replace(' : ', ': ')
        if (fraction !== null && fraction > 0 && fraction <= 1) {
            const left = (elapsed / fraction) * (1 - fraction)
            text += `, ${Math.floor(fraction * 100)} %${fr ? `, reste ~${clock(left)}` : `, ~${clock(left)} left`}`
        }
        return text
    }

    update(rows: number, fraction: number | null): void {
        const t = this.now()
        if (t - this.started < (this.opts.delayMs ?? 1000) || t - this.last < (this.opts.everyMs ?? 250)) return
        this.last = t
        this.shown = true
        let text = this.line(rows, fraction)
        if (text.length > 120) text = `${text.slice(0, 119)}…`
        this.sink.write(`\r\x1b[K${text}`)
    }

    done(): void {
        if (this.shown) this.sink.write('\r\x1b[K')
        this.shown = false
    }
}
