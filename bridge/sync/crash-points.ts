/**
 * Test-only crash points for the fault-injection suite (tests/faults). With
 * BRIDGE_TEST_CRASH_AT=<point>[:<n>] in the environment, the process kills itself with SIGKILL —
 * no handler, no flush, like a power cut — the n-th time (default 1) it reaches <point>. Without
 * the variable this is a no-op. The points name the windows where a crash could lose or repeat
 * work: between two ingestion commits, after the recomputation, after a batch is marked as sent
 * but before it is posted, after DHIS2 answered but before the answer is recorded, after it is
 * recorded.
 */
export type CrashPoint = 'ingest-commit' | 'after-recompute' | 'after-mark-sent' | 'after-post' | 'after-accept'

const reached = new Map<string, number>()

/**
 * Lines between two ingestion commits: `normal`, or BRIDGE_TEST_COMMIT_EVERY (test-only) so that
 * the fault suite's small ledgers hold several commits, hence several `ingest-commit` points.
 */
export function commitInterval(normal: number): number {
    const n = Number(process.env.BRIDGE_TEST_COMMIT_EVERY)
    return Number.isSafeInteger(n) && n > 0 ? n : normal
}

export function crashPoint(point: CrashPoint): void {
    const spec = process.env.BRIDGE_TEST_CRASH_AT
    if (!spec) return
    const [name, nth] = spec.split(':')
    if (name !== point) return
    const n = (reached.get(point) ?? 0) + 1
    reached.set(point, n)
    if (n === Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL')
}
