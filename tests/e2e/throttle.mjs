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
    wire.waterfall = recordWaterfall(cdp)
    return wire
}

/**
 * Every request of the page from the DevTools protocol's Network events: start and end (ms from the
 * first request, i.e. the navigation), bytes on the wire, status, whether the cache answered, and
 * what it waited on — its initiator (the parser, a preload, a script) and the request that ended
 * last before it started. Read by `printWaterfall`.
 */
function recordWaterfall(cdp) {
    const byId = new Map()
    cdp.on('Network.requestWillBeSent', (e) => {
        if (e.redirectResponse) return
        const frame = e.initiator?.stack?.callFrames?.[0] ?? e.initiator?.stack?.parent?.callFrames?.[0]
        byId.set(e.requestId, {
            url: e.request.url,
            method: e.request.method,
            start: e.timestamp,
            initiator: e.initiator?.type === 'script' && frame ? `script ${shortUrl(frame.url)}` : (e.initiator?.type ?? '?'),
            bytes: 0,
            status: null,
            cached: false,
            end: null,
        })
    })
    cdp.on('Network.requestServedFromCache', (e) => {
        const r = byId.get(e.requestId)
        if (r) r.cached = true
    })
    cdp.on('Network.responseReceived', (e) => {
        const r = byId.get(e.requestId)
        if (!r) return
        r.status = e.response.status
        if (e.response.fromDiskCache || e.response.fromMemoryCache) r.cached = true
    })
    cdp.on('Network.loadingFinished', (e) => {
        const r = byId.get(e.requestId)
        if (!r) return
        r.end = e.timestamp
        r.bytes = e.encodedDataLength
    })
    return byId
}

const shortUrl = (u) => {
    try {
        const url = new URL(u)
        const p = url.pathname.replace(/^\/api\/apps\/[^/]+\//, '').replace(/^\/api\/\d+\//, '/api/')
        const q = url.search.length > 60 ? `${url.search.slice(0, 57)}…` : url.search
        return `${p}${q}`
    } catch {
        return u
    }
}

/**
 * The waterfall as a table, and the chain of requests one after the other before `last` (a URL
 * test: the request whose answer the first figure needs). `after` is the request that ended last
 * before this one started (what it most likely waited on), when it ended within 50 ms.
 */
export function printWaterfall(wire, title, last = /\/analytics/, log = (s) => process.stdout.write(`${s}\n`)) {
    const list = [...wire.waterfall.values()].filter((r) => !r.url.startsWith('data:')).sort((a, b) => a.start - b.start)
    if (!list.length) return
    const t0 = list[0].start
    const at = (t) => (t == null ? '   –  ' : String(Math.round((t - t0) * 1000)).padStart(6))
    const after = (r) => {
        let best = null
        for (const o of list) if (o !== r && o.end != null && o.end <= r.start + 0.005 && (!best || o.end > best.end)) best = o
        return best && r.start - best.end < 0.05 ? best : null
    }
    log(`\n${title}: ${list.length} requests`)
    log(`| start ms | end ms | kB | status | request | initiator | after |`)
    log(`| --- | --- | --- | --- | --- | --- | --- |`)
    for (const r of list) {
        const a = after(r)
        log(`| ${at(r.start)} | ${at(r.end)} | ${(r.bytes / 1024).toFixed(1)} | ${r.status ?? '–'}${r.cached ? ' cache' : ''} | ${r.method === 'GET' ? '' : `${r.method} `}${shortUrl(r.url)} | ${r.initiator} | ${a ? shortUrl(a.url).slice(0, 40) : ''} |`)
    }
    // The chain: from the last matching request back through its `after`, one hop per sequential step.
    const target = list.filter((r) => last.test(r.url) && r.end != null).sort((a, b) => b.end - a.end)[0]
    if (!target) return
    const chain = []
    for (let r = target; r; r = after(r)) chain.unshift(r)
    log(`chain before the figure (${chain.length} sequential steps, ${at(target.end).trim()} ms): ${chain.map((r) => `${shortUrl(r.url).split('?')[0]}${r.cached ? ' (cache)' : ''}`).join(' → ')}`)
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
