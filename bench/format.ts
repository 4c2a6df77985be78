/** Number formats and the table row shared by the benchmark's measures. */

export interface Row {
    measure: string
    figure: string
    reference: string
    verdict: string
    command: string
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, ' ')
export const secs = (ms: number) => `${fmt(ms / 1000, 1)} s`
export const mib = (m: number | null) => (m === null ? 'n/a' : `${fmt(m, 0)} MiB`)
export const perSec = (n: number, ms: number) => fmt(n / (ms / 1000), 0)
