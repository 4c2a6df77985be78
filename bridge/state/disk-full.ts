import fs from 'node:fs'
import path from 'node:path'
import type { Bilingual } from '../domain/line'
import { BridgeError, EXIT } from '../errors'

/**
 * The state's disk full (SQLITE_FULL, ENOSPC): a known condition on a hospital server, not an
 * unexpected error. Nothing is lost — SQLite rolls the transaction back and a source's cursor
 * moves only with committed lines — so once space is freed the next run converges.
 * Exit code 2 (docs/installing.md §9): like a bad configuration, the run cannot succeed until
 * someone fixes the machine; the scheduler keeps trying on its cron.
 */
export class StateDiskFull extends BridgeError {
    constructor(stateDir: string) {
        super(diskFullReason(stateDir), EXIT.CONFIG, {
            fr: `Libérez de la place sur le disque de ${stateDir} (ou déplacez BRIDGE_STATE_DIR), puis relancez`,
            en: `Free space on the disk of ${stateDir} (or move BRIDGE_STATE_DIR), then run again`,
        })
        this.name = 'StateDiskFull'
    }
}

export function isDiskFull(e: unknown): boolean {
    const code = (e as { code?: string } | null)?.code
    return code === 'SQLITE_FULL' || code === 'ENOSPC' || (e instanceof StateDiskFull)
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} Mio`
const mibEn = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`

/** What to say: the directory, its free space, and what to free (at least the state's size again, 64 MiB minimum). */
export function diskFullReason(stateDir: string): Bilingual {
    let size = 0
    for (const f of ['bridge.sqlite', 'bridge.sqlite-wal']) {
        try {
            size += fs.statSync(path.join(stateDir, f)).size
        } catch {
            /* not there yet */
        }
    }
    let free: number | null = null
    try {
        const s = fs.statfsSync(stateDir)
        free = s.bavail * s.bsize
    } catch {
        /* unknown */
    }
    const need = Math.max(64 * 1048576, size)
    const freeFr = free === null ? 'espace libre inconnu' : `${mib(free)} libres`
    const freeEn = free === null ? 'free space unknown' : `${mibEn(free)} free`
    return {
        fr: `Disque plein : l'état ${stateDir} ne peut plus être écrit (${freeFr} ; l'état occupe ${mib(size)}). Libérez au moins ${mib(need)} sur ce disque, ou déplacez BRIDGE_STATE_DIR, puis relancez : rien n'est perdu, la prochaine exécution reprend ce qui n'a pas été enregistré.`,
        en: `Disk full: the state in ${stateDir} cannot be written (${freeEn}; the state takes ${mibEn(size)}). Free at least ${mibEn(need)} on that disk, or move BRIDGE_STATE_DIR, then run again: nothing is lost, the next run takes up what was not recorded.`,
    }
}
