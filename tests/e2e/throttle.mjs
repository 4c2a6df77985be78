/**
 * The app on a district office's link: the network throttled through the DevTools protocol
 * (`Network.emulateNetworkConditions`, the same throttling as Chromium's DevTools), first visit
 * (a new browser context: empty cache) and repeat visit (a new tab of the same context, later: what
 * the HTTP cache kept is reused, as a user coming back to the dashboard finds it).
 */

/** Round trip added to every request, throughput in bits per second. */
export const PROFILES = {
    '3g': { label: '3G: 300 ms, 1.6 Mbit/s down, 750 kbit/s up', latency: 300, down: 1_600_000, up: 750_000 },
    'slow-3g': { label: 'slow 3G: 600 ms, 400 kbit/s', latency: 600, down: 400_000, up: 400_000 },
}

/**
 * Throttles this page's network and counts the bytes it receives (`encodedDataLength`: what went
 * over the wire, headers included, after compression), its requests and those the HTTP cache answered.
 */
export async function throttle(page, profile) {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: profile.latency,
        downloadThroughput: profile.down / 8,
        uploadThroughput: profile.up / 8,
    })
    // A revalidated file (304) shows as its cached 200 here; the stand-in's log has the conditional request.
    const wire = { bytes: 0, requests: 0, fromCache: 0 }
    cdp.on('Network.responseReceived', (e) => {
        if (e.response.fromDiskCache) wire.fromCache++
    })
    cdp.on('Network.loadingFinished', (e) => {
        wire.requests++
        wire.bytes += e.encodedDataLength
    })
    return wire
}

/**
 * First and repeat visit of one view under one profile. `rendered(page)` waits for the view to be
 * complete; `url` is the view's address.
 */
export async function visits(browser, url, profile, rendered) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    try {
        const timed = async () => {
            const page = await context.newPage()
            const wire = await throttle(page, profile)
            const start = Date.now()
            await page.goto(url, { timeout: 180_000 })
            await rendered(page)
            const ms = Date.now() - start
            await page.close()
            return { ms, ...wire }
        }
        const first = await timed()
        const repeat = await timed()
        return { first, repeat }
    } finally {
        await context.close()
    }
}
