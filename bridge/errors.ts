import type { Bilingual } from './domain/line'

/** The exit codes of every command (docs/contract.md §5). */
export const EXIT = { OK: 0, UNEXPECTED: 1, CONFIG: 2, PARTIAL: 3, UNREACHABLE: 4 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/**
 * The one error model of the bridge: what went wrong in French and English (`reason`), the exit
 * code a command ends with when this error stops it, and where useful what the operator can do
 * about it (`todo`, bilingual too). Every known failure extends it; anything else is a bug (exit 1).
 */
export class BridgeError extends Error {
    constructor(
        readonly reason: Bilingual,
        readonly exitCode: number = EXIT.UNEXPECTED,
        readonly todo?: Bilingual
    ) {
        super(reason.en)
    }
}

/** Whatever was thrown, as a bilingual sentence: a BridgeError's reason, else the message. */
export function describe(e: unknown): Bilingual {
    const reason = reasonOf(e)
    if (reason) return reason
    const message = String((e as Error)?.message ?? e)
    return { fr: message, en: message }
}

/** The bilingual reason a known failure carries (a BridgeError, or a value shaped like one), else null. */
function reasonOf(e: unknown): Bilingual | null {
    if (e instanceof BridgeError) return e.reason
    const reason = (e as { reason?: unknown } | null)?.reason
    return reason && typeof reason === 'object' && 'fr' in reason && 'en' in reason ? (reason as Bilingual) : null
}

/** A known failure (bilingual reason) rather than a bug. */
export const isKnown = (e: unknown): boolean => reasonOf(e) !== null

/** The exit code a command ends with when `e` stops it. */
export const exitCodeOf = (e: unknown): number => (e instanceof BridgeError ? e.exitCode : EXIT.UNEXPECTED)
