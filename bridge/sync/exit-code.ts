import { Dhis2UnreachableError } from '../dhis2/client'
import { ImportSummaryMissing } from '../dhis2/data-values'
import { EXIT } from '../errors'
import { LedgerPathError } from '../ledger/paths'
import type { Run } from './run'
import { SyncAbort } from './sync-abort'

/**
 * The exit code of a sync, decided here only (docs/contract.md §5): an error that stopped the
 * run gives its own; else 4 when DHIS2 could not be reached, 3 when something was refused or
 * quarantined, 0 otherwise. The stock leg's outcome then joins: 4 wins over 3; 1 and 2 stay.
 */
export function revenueExitCode(run: Run): number {
    if (run.stoppedWith !== null) return run.stoppedWith
    if (run.unreachable || !run.live) return EXIT.UNREACHABLE
    return run.totals.rejected || run.quarantine.length ? EXIT.PARTIAL : EXIT.OK
}

export function exitCode(run: Run): number {
    const code = revenueExitCode(run)
    if (!run.stock || code === EXIT.UNEXPECTED || code === EXIT.CONFIG) return code
    return run.stock.exitCode === EXIT.CONFIG ? EXIT.CONFIG : Math.max(code, run.stock.exitCode)
}

/**
 * Errors after which a sync still ends with its report (the run is recorded with the error's
 * exit code); any other error is recorded as exit 1 and thrown on to the CLI.
 */
export function endsWithReport(e: unknown): e is SyncAbort | Dhis2UnreachableError | LedgerPathError | ImportSummaryMissing {
    return e instanceof SyncAbort || e instanceof Dhis2UnreachableError || e instanceof LedgerPathError || e instanceof ImportSummaryMissing
}
