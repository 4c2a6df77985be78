import type { Bilingual } from '../../domain/line'
import { BridgeError, EXIT } from '../../errors'

/**
 * A source that cannot be read (connection refused, bad credential, a query returning a column
 * of the wrong type, an API answering 401): carries `reason` like LedgerFileError, so the sync
 * reports it under the source's name and goes on with the other sources.
 * Messages never hold a password, a token or a connection URL with its secret.
 */
export class LedgerSourceError extends BridgeError {
    constructor(
        readonly source: string,
        reason: Bilingual
    ) {
        super(reason, EXIT.UNEXPECTED)
        this.name = 'LedgerSourceError'
    }
}

export const sourceError = (source: string, fr: string, en: string): LedgerSourceError =>
    new LedgerSourceError(source, { fr: `Source « ${source} » : ${fr}`, en: `Source "${source}": ${en}` })
