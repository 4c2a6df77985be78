import fs from 'node:fs'
import path from 'node:path'
import type { Bilingual } from '../domain/line'
import { BridgeError, EXIT } from '../errors'

export class LockBusyError extends BridgeError {
    constructor(reason: Bilingual) {
        super(reason, EXIT.UNEXPECTED)
    }
}

/** This boot of the machine (Linux); null where unknown. A lock from another boot is stale whatever its PID. */
function bootId(): string | null {
    try {
        return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null
    } catch {
        return null
    }
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0)
        return true
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM'
    }
}

/**
 * One bridge process per state directory. The lock file holds the owner's PID (and the boot it
 * was taken in); a lock left by a process that no longer exists (kill -9), or taken before the
 * machine restarted (power cut: after the reboot another process may well have that PID), is
 * taken over.
 */
export function acquireLock(stateDir: string): () => void {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 })
    const file = path.join(stateDir, 'bridge.lock')
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            const fd = fs.openSync(file, 'wx', 0o600)
            fs.writeSync(fd, `${process.pid}\n${bootId() ?? ''}\n`)
            fs.closeSync(fd)
            let released = false
            return () => {
                if (released) return
                released = true
                try {
                    if (fs.readFileSync(file, 'utf8').split('\n')[0].trim() === String(process.pid)) fs.unlinkSync(file)
                } catch {
                    /* already gone */
                }
            }
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
            const [pidText, lockBoot] = fs.readFileSync(file, 'utf8').split('\n')
            const owner = Number(pidText.trim())
            const sameBoot = !lockBoot?.trim() || lockBoot.trim() === bootId()
            if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && sameBoot && alive(owner)) {
                throw new LockBusyError({
                    fr: `Un autre processus du pont (PID ${owner}) utilise déjà ${stateDir} : attendez qu'il finisse`,
                    en: `Another bridge process (PID ${owner}) is already using ${stateDir}: wait for it to finish`,
                })
            }
            fs.rmSync(file, { force: true })
        }
    }
    throw new LockBusyError({ fr: `Verrou ${file} impossible à prendre`, en: `Could not take the lock ${file}` })
}
