/**
 * The reference for a streaming pass: one awk program that reads the same file once and sums
 * amount_xof of SUCCESS lines per (data element, month, facility, channel, service) — the same
 * keys as bench/pass.ts, printed in the same form so the two can be compared value by value.
 * It validates nothing and relies on the benchmark ledger's shape (no quoted fields, local
 * times in a UTC+0 zone so that the month is the first 7 characters).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'

export const AWK_PROGRAM = `
NR == 1 {
    for (i = 1; i <= NF; i++) col[$i] = i
    cs = col["status"]; ct = col["type"]; co = col["occurred_at"]; cf = col["facility_code"]
    cc = col["channel"]; cv = col["service"]; ca = col["amount_xof"]
    next
}
{ lines++ }
$cs == "SUCCESS" {
    k = ($ct == "REFUND" ? "PAYREV_REFUNDS" : "PAYREV_GROSS") "|" substr($co, 1, 4) substr($co, 6, 2) "|" $cf "|" $cc "|" $cv
    s[k] += $ca
}
END {
    printf "#lines\\t%d\\n", lines
    for (k in s) printf "%s\\t%.0f\\n", k, s[k]
}
`

export interface AwkResult {
    awk: string
    wallMs: number
    /** From /usr/bin/time when present. */
    cpuMs: number | null
    peakRssMiB: number | null
    lines: number
    totals: Map<string, number>
}

/** The awk binaries worth comparing with: the system's `awk`, and mawk when it is a different program. */
export function awkBinaries(): string[] {
    const out = ['awk']
    try {
        const real = fs.realpathSync('/usr/bin/awk')
        if (fs.existsSync('/usr/bin/mawk') && !real.endsWith('mawk')) out.push('mawk')
        if (fs.existsSync('/usr/bin/gawk') && !real.endsWith('gawk')) out.push('gawk')
    } catch {
        /* no /usr/bin/awk: PATH decides */
    }
    return out
}

/** Which program `awk` is here (gawk, mawk, busybox…), for the table. */
export function awkName(bin: string): string {
    if (bin !== 'awk') return bin
    try {
        return `awk (${fs.realpathSync('/usr/bin/awk').split('/').pop()})`
    } catch {
        return 'awk'
    }
}

export interface TimedRun {
    wallMs: number
    /** From /usr/bin/time when present. */
    cpuMs: number | null
    peakRssMiB: number | null
    stdout: string
}

/** One external program, timed by /usr/bin/time when present (CPU time and peak memory are then its own). */
export function timedRun(bin: string, args: string[], input?: string): Promise<TimedRun> {
    const useTime = fs.existsSync('/usr/bin/time')
    const cmd = useTime ? '/usr/bin/time' : bin
    const started = process.hrtime.bigint()
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, [...(useTime ? ['-f', '#time %e %U %S %M', bin] : []), ...args], {
            stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
            env: { ...process.env, LC_ALL: 'C' },
        })
        let stdout = ''
        let stderr = ''
        child.stdout!.on('data', (d) => (stdout += d))
        child.stderr!.on('data', (d) => (stderr += d))
        child.on('error', reject)
        if (input !== undefined) child.stdin!.end(input)
        child.on('exit', (code) => {
            const wallMs = Number(process.hrtime.bigint() - started) / 1e6
            if (code !== 0) return reject(new Error(`${bin} exited with ${code}: ${stderr}`))
            const m = /#time (\S+) (\S+) (\S+) (\d+)/.exec(stderr)
            resolve({ wallMs, cpuMs: m ? (Number(m[2]) + Number(m[3])) * 1000 : null, peakRssMiB: m ? Number(m[4]) / 1024 : null, stdout })
        })
    })
}

/** `#lines\tN` and `key\tsum` rows, as the awk program and the sqlite3 anchor print them. */
export function parseTotals(stdout: string): { lines: number; totals: Map<string, number> } {
    const totals = new Map<string, number>()
    let lines = 0
    for (const row of stdout.split('\n')) {
        if (!row) continue
        const [k, v] = row.split('\t')
        if (k === '#lines') lines = Number(v)
        else totals.set(k, Number(v))
    }
    return { lines, totals }
}

export async function runAwk(bin: string, file: string): Promise<AwkResult> {
    const run = await timedRun(bin, ['-F', ',', AWK_PROGRAM, file])
    return { awk: awkName(bin), wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMiB: run.peakRssMiB, ...parseTotals(run.stdout) }
}
