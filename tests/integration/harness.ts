import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const REPO = path.resolve(__dirname, '..', '..')
/** BRIDGE_CLI runs these tests against another build (e.g. the commit before a fix, to see its test fail). */
export const CLI = process.env.BRIDGE_CLI ?? path.join(REPO, 'dist', 'bridge', 'cli', 'main.js')
export const LEDGERS = path.join(__dirname, 'ledgers')

/** The integration tests drive the built CLI, as a user would; build it once if needed. */
export function ensureBuilt(): void {
    if (!fs.existsSync(CLI)) {
        execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.bridge.json'], { cwd: REPO, stdio: 'inherit' })
    }
}

export function tempStateDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-state-'))
}

export interface CliResult {
    code: number
    stdout: string
    stderr: string
    json<T = Record<string, unknown>>(): T
}

/** Runs a command with exactly this environment (nothing inherited): its exit code and output. */
export function runCommand(command: string, args: string[], env: Record<string, string | undefined>, cwd: string, timeoutMs = 120_000): Promise<Omit<CliResult, 'json'>> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (d) => (stdout += d))
        child.stderr.on('data', (d) => (stderr += d))
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
        child.on('error', reject)
        child.on('exit', (code) => {
            clearTimeout(timer)
            resolve({ code: code ?? -1, stdout, stderr })
        })
    })
}

/** The built CLI in a clean environment: only what the test gives, plus PATH. */
export async function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<CliResult> {
    const r = await runCommand(process.execPath, [CLI, ...args], { PATH: process.env.PATH, ...env }, REPO, timeoutMs)
    return {
        ...r,
        json<T>() {
            try {
                return JSON.parse(r.stdout) as T
            } catch {
                throw new Error(`stdout is not one JSON document:\n${r.stdout}\nstderr:\n${r.stderr}`)
            }
        },
    }
}
