/**
 * The App Hub / App Management bundle that `npx d2-app-scripts build` writes to build/bundle/:
 * opened with jszip (exceljs's zip library, already installed) and checked for the dashboard
 * plugin entry, the icon and the manifest fields. Needs the app built first (as the browser tests).
 *
 *   node --test tests/e2e/bundle.test.mjs
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { test } from 'node:test'
import { REPO } from './harness.mjs'

const require = createRequire(import.meta.url)
const JSZip = require(require.resolve('jszip', { paths: [path.dirname(require.resolve('exceljs'))] }))
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'))
const d2config = require(path.join(REPO, 'd2.config.js'))
const ZIP = path.join(REPO, 'build', 'bundle', `${d2config.name}-${pkg.version}.zip`)

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(buf) {
    assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG file')
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}

async function openZip() {
    assert.ok(fs.existsSync(ZIP), `${path.relative(REPO, ZIP)} is missing: run npx d2-app-scripts build first`)
    const zip = await JSZip.loadAsync(fs.readFileSync(ZIP))
    const text = async (name) => {
        const f = zip.file(name)
        assert.ok(f, `${name} is not in the zip`)
        return f.async('string')
    }
    return { zip, text, json: async (name) => JSON.parse(await text(name)) }
}

test('the zip holds the app and the dashboard plugin entries, and their scripts', async () => {
    const { text } = await openZip()
    for (const entry of ['index.html', 'plugin.html']) {
        const html = await text(entry)
        const scripts = [...html.matchAll(/<script[^>]+src="\.\/([^"]+)"/g)].map((m) => m[1])
        assert.ok(scripts.length > 0, `${entry} loads no script`)
        for (const s of scripts) await text(s) // every script the page loads is in the zip
    }
})

test('manifest.webapp: name, description, version, launch paths, DASHBOARD plugin type, data store namespace', async () => {
    const { json } = await openZip()
    const m = await json('manifest.webapp')
    assert.equal(m.appType, 'APP')
    assert.equal(m.short_name, d2config.name)
    assert.equal(m.name, 'Recettes hospitalières')
    assert.equal(m.description, d2config.description)
    assert.match(m.description, /établissement/, 'a French description')
    if (/ \/ /.test(d2config.description)) assert.match(m.description, / \/ [A-Z][a-z]+ .*(revenue|payments)/i, 'an English description after " / "')
    assert.equal(m.version, pkg.version)
    assert.equal(m.launch_path, 'index.html')
    assert.equal(m.plugin_launch_path, 'plugin.html')
    assert.equal(m.plugin_type, 'DASHBOARD')
    assert.equal(m.activities?.dhis?.namespace, d2config.dataStoreNamespace, 'the reserved data store namespace')
    assert.equal(m.icons?.['48'], 'dhis2-app-icon.png')

    const c = await json('d2.config.json')
    assert.equal(c.minDHIS2Version, d2config.minDHIS2Version)
    assert.ok(c.minDHIS2Version, 'minDHIS2Version is set')
    assert.equal(c.pluginType, 'DASHBOARD')
    assert.deepEqual(c.entryPoints, { app: 'index.html', plugin: 'plugin.html' })
})

test('the icon the manifest names is in the zip (the 512 × 512 one when public/ has it)', async () => {
    const { zip } = await openZip()
    const icon = zip.file('dhis2-app-icon.png')
    assert.ok(icon, 'dhis2-app-icon.png is not in the zip')
    const buf = await icon.async('nodebuffer')
    const size = pngSize(buf)
    const own = path.join(REPO, 'public', 'dhis2-app-icon.png')
    if (fs.existsSync(own)) {
        assert.ok(buf.equals(fs.readFileSync(own)), 'the zipped icon is public/dhis2-app-icon.png')
        assert.deepEqual(size, { width: 512, height: 512 })
    } else {
        // Until the App Hub icon lands in public/, the platform's default icon is shipped.
        assert.ok(size.width >= 48 && size.width === size.height, `icon ${size.width}×${size.height}`)
    }
})
