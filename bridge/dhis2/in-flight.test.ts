import { mapInFlight } from './in-flight'

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('results in input order, never more than `limit` calls in flight', async () => {
    let inFlight = 0
    let most = 0
    const out = await mapInFlight([5, 1, 4, 2, 3, 0, 6], 3, async (x) => {
        inFlight++
        most = Math.max(most, inFlight)
        await tick(x)
        inFlight--
        return x * 10
    })
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60])
    expect(most).toBe(3)
})

test('limit 1 is strictly sequential, in order', async () => {
    const order: number[] = []
    await mapInFlight([3, 1, 2], 1, async (x) => {
        order.push(x)
        await tick(x)
    })
    expect(order).toEqual([3, 1, 2])
})

test('after a failure no new call starts; those in flight finish; the first error is thrown', async () => {
    const started: number[] = []
    const finished: number[] = []
    await expect(
        mapInFlight([0, 1, 2, 3, 4, 5], 2, async (x) => {
            started.push(x)
            await tick(x === 1 ? 1 : 5)
            if (x === 1) throw new Error('boom 1')
            finished.push(x)
        })
    ).rejects.toThrow('boom 1')
    // 0 and 1 start together; 1 fails while 0 is in flight: 0 finishes, 2… never start.
    expect(started).toEqual([0, 1])
    expect(finished).toEqual([0])
})

test('nothing to do, or a limit out of range', async () => {
    expect(await mapInFlight([], 4, async () => 1)).toEqual([])
    expect(await mapInFlight([1, 2], 0, async (x) => x)).toEqual([1, 2])
})
