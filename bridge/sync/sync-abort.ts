import type { Bilingual } from '../domain/line'
import { BridgeError } from '../errors'

/** A sync that cannot go on (metadata missing, another period cut): its reason and exit code. */
export class SyncAbort extends BridgeError {
    constructor(reason: Bilingual, exitCode: number, todo?: Bilingual) {
        super(reason, exitCode, todo)
    }
}
