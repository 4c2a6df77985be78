/**
 * At most `limit` calls of `fn` in flight over `items` (requests to one server over a slow link:
 * a few at once hide the round trips without flooding a national server). Results come back in
 * the order of `items`. After a failure no new call starts; the calls already in flight finish,
 * then the first error is thrown — as a sequential loop would stop at it.
 */
export async function mapInFlight<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length)
    let next = 0
    let failed: { error: unknown } | null = null
    const worker = async () => {
        while (!failed && next < items.length) {
            const i = next++
            try {
                results[i] = await fn(items[i], i)
            } catch (error) {
                failed ??= { error }
            }
        }
    }
    const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length))
    await Promise.all(Array.from({ length: workers }, worker))
    if (failed) throw (failed as { error: unknown }).error
    return results
}
