import { spawn } from 'node:child_process'

export interface BinResult {
    code: number
    stdout: string
    stderr: string
}

/** Runs an installed command with exactly this environment (no inherited PATH, unlike tests/integration/harness.ts). */
export function runBin(command: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs = 120_000): Promise<BinResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
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
