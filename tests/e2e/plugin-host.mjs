/**
 * A stand-in for the DHIS2 Dashboard app around our dashboard plugin, for the browser tests.
 *
 * The Dashboard app (101+, src/components/Item/AppItem/Item.jsx) renders `<Plugin>` from
 * @dhis2/app-runtime/experimental with `pluginSource` = the app's pluginLaunchUrl, a fixed width
 * and height, and the props dashboardItemId, dashboardItemFilters, dashboardMode,
 * setDashboardItemDetails, cacheId, isParentCached. That component (app-service-plugin
 * Plugin.js) answers the plugin's post-robot request `getPropsFromParent` with those props plus
 * alertsAdd, setInErrorState, setPluginHeight/Width (null when the size is fixed) and clientWidth,
 * and later sends `updated` with the same shape when a prop (a filter) changes. This page does
 * exactly that with the same post-robot build, on the stand-in's origin (as the Dashboard app is
 * on the server's origin), so the plugin runs in the platform's real plugin shell.
 */
import fs from 'node:fs'
import path from 'node:path'
import { REPO } from './harness.mjs'

export const HOST_PATH = '/dhis-web-dashboard/e2e-plugin-host.html'
export const ITEM = { width: 640, height: 420 }
const POST_ROBOT = fs.readFileSync(path.join(REPO, 'node_modules', 'post-robot', 'dist', 'post-robot.min.js'), 'utf8')

const HOST_HTML = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Tableau de bord (hôte de test)</title>
<script src="/dhis-web-dashboard/e2e-post-robot.js"></script>
<style>body{margin:0;font-family:sans-serif;background:#f4f6f8}.item{margin:16px;background:#fff;width:${ITEM.width}px}</style></head>
<body><main><h1 style="font-size:18px;margin:16px">Tableau de bord</h1>
<div class="item"><iframe id="plugin" title="Recettes hospitalières" style="border:none" width="${ITEM.width}" height="${ITEM.height}"></iframe></div></main>
<script>
const iframe = document.getElementById('plugin')
let props = null
let connected = false
window.itemDetails = []
window.propsRequests = 0
// What app-service-plugin's Plugin sends: the item props plus the platform's callbacks.
const full = () => ({
    ...props,
    setDashboardItemDetails: (d) => { window.itemDetails.push(d) },
    alertsAdd: () => {},
    setInErrorState: () => {},
    setPluginHeight: null,
    setPluginWidth: null,
    clientWidth: undefined,
})
postRobot.on('getPropsFromParent', { window: iframe.contentWindow }, () => {
    connected = true
    window.propsRequests++
    return full()
})
window.startPlugin = (src, initial) => { props = initial; iframe.src = src }
window.updateProps = (next) => {
    props = { ...props, ...next }
    return connected ? postRobot.send(iframe.contentWindow, 'updated', full()).then(() => true) : false
}
</script></body></html>`

/** Routes the host page and post-robot on the stand-in's origin for this browser context. */
export async function routeHost(context, standinUrl) {
    await context.route(`${standinUrl}${HOST_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: HOST_HTML }))
    await context.route(`${standinUrl}/dhis-web-dashboard/e2e-post-robot.js`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: POST_ROBOT })
    )
}

/** Dashboard filters as the Dashboard app builds them. */
export const filters = ({ ou, pe }) => ({
    ...(ou ? { ou: ou.map((u) => ({ id: u.id, name: u.name, ...(u.path ? { path: u.path } : {}) })) } : {}),
    ...(pe ? { pe: pe.map((p) => ({ id: p, name: p })) } : {}),
})

/**
 * Opens the host page in `page` and starts the plugin with `props` (dashboardItemFilters etc.).
 * Returns a frame locator on the plugin.
 */
export async function openPluginHost(page, standinUrl, appPath, props) {
    await page.goto(`${standinUrl}${HOST_PATH}`)
    const src = `${standinUrl}${appPath.replace(/index\.html$/, 'plugin.html')}`
    await page.evaluate(([s, p]) => window.startPlugin(s, p), [src, { dashboardItemId: 'e2eItem0001', dashboardMode: 'view', cacheId: 'e2eDash0001-e2eItem0001', isParentCached: false, ...props }])
    return page.frameLocator('iframe#plugin')
}

/** Sends new props (a filter change) the way the Plugin component does on a prop change. */
export async function updatePluginProps(page, props) {
    const sent = await page.evaluate((p) => window.updateProps(p), props)
    if (!sent) throw new Error('the plugin never asked for its props (getPropsFromParent)')
}
