#!/usr/bin/env node
/**
 * `npm run bundle`: the offline bundle for Linux x64 (docs/installing.md). One tar.gz holding the
 * built bridge (what `npm pack` ships), its production node_modules copied from this tree (so the
 * native SQLite module is the one built here, no download at install time), a launcher that needs
 * only `node` on PATH, and SHA256SUMS of every file; plus `<archive>.sha256` beside it to check
 * the copy after the USB stick. Expects `npm run build:bridge` done (the npm script does it).
 *
 * The native module is tied to Node's ABI (better-sqlite3 is not N-API): the archive name and the
 * launcher carry the Node major it was built with, and the launcher refuses another ABI clearly.
 */
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const outDir = path.resolve(args[args.indexOf('--out') + 1 || -1] ?? path.join(REPO, 'release'))

/** Left out of the copied packages: sources and build intermediates, never loaded at run time. */
const SKIP = new Set(['better-sqlite3/deps', 'better-sqlite3/src', 'better-sqlite3/build/Release/obj', 'better-sqlite3/build/Release/obj.target', 'better-sqlite3/build/Release/.deps', 'better-sqlite3/build/Release/test_extension.node', 'better-sqlite3/build/deps'])

function main() {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
        console.error(`Le paquet hors ligne se construit sur Linux x64 (ici ${process.platform}-${process.arch}) / The offline bundle is built on Linux x64 (here ${process.platform}-${process.arch})`)
        process.exit(2)
    }
    if (!fs.existsSync(path.join(REPO, 'dist', 'bridge', 'cli', 'main.js'))) {
        console.error('dist/ manque : lancez « npm run build:bridge » / dist/ is missing: run "npm run build:bridge"')
        process.exit(2)
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'))
    const major = process.versions.node.split('.')[0]
    const abi = process.versions.modules
    const name = `revenue-bridge-${pkg.version}-linux-x64-node${major}`
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-bundle-'))
    const stage = path.join(work, name)
    try {
        // 1. Exactly what `npm pack` ships (the `files` list), unpacked.
        const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8' }))[0]
        fs.mkdirSync(stage)
        execFileSync('tar', ['xzf', path.join(work, packed.filename), '-C', stage, '--strip-components=1'])
        fs.rmSync(path.join(work, packed.filename))

        // 2. The production dependencies, at the same places as in this tree's node_modules.
        const copied = copyProductionDeps(pkg, stage)

        // 3. The launcher and what it was built for.
        fs.writeFileSync(path.join(stage, 'revenue-bridge'), launcher(abi, major), { mode: 0o755 })
        fs.writeFileSync(path.join(stage, 'BUNDLE.json'), JSON.stringify({ name: 'revenue-bridge', version: pkg.version, platform: 'linux', arch: 'x64', node: process.versions.node, nodeAbi: abi, packages: copied, builtAt: new Date().toISOString() }, null, 2) + '\n')

        // 4. Checksums of every file, then the archive and its own checksum.
        const files = listFiles(stage).sort()
        fs.writeFileSync(path.join(stage, 'SHA256SUMS'), files.map((f) => `${sha256(path.join(stage, f))}  ${f}`).join('\n') + '\n')
        fs.mkdirSync(outDir, { recursive: true })
        const archive = path.join(outDir, `${name}.tar.gz`)
        execFileSync('tar', ['czf', archive, '--owner=0', '--group=0', '-C', work, name])
        fs.writeFileSync(`${archive}.sha256`, `${sha256(archive)}  ${path.basename(archive)}\n`)
        const size = fs.statSync(archive).size
        console.log(JSON.stringify({ archive, sha256File: `${archive}.sha256`, bytes: size, files: files.length + 1, packages: copied.length, nodeAbi: abi }))
    } finally {
        fs.rmSync(work, { recursive: true, force: true })
    }
}

/** Walks dependencies (and installed optional ones) from the package, resolving as Node does. */
function copyProductionDeps(pkg, stage) {
    const root = path.join(REPO, 'node_modules')
    const seen = new Set()
    const queue = Object.keys(pkg.dependencies ?? {}).map((dep) => ({ dep, from: REPO, optional: false }))
    while (queue.length) {
        const { dep, from, optional } = queue.shift()
        const dir = locate(dep, from)
        if (!dir) {
            if (optional) continue
            throw new Error(`${dep} (needed by ${path.relative(REPO, from) || 'the bridge'}) is not installed: run npm install`)
        }
        const rel = path.relative(root, dir)
        if (seen.has(rel)) continue
        seen.add(rel)
        const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
        for (const d of Object.keys(meta.dependencies ?? {})) queue.push({ dep: d, from: dir, optional: false })
        for (const d of Object.keys(meta.optionalDependencies ?? {})) queue.push({ dep: d, from: dir, optional: true })
        for (const d of Object.keys(meta.peerDependencies ?? {})) queue.push({ dep: d, from: dir, optional: true })
    }
    for (const rel of seen) copyPackage(path.join(root, rel), path.join(stage, 'node_modules', rel), rel)
    return [...seen].sort()
}

function locate(dep, from) {
    for (let dir = from; dir.startsWith(REPO); dir = path.dirname(dir)) {
        const candidate = path.join(dir, 'node_modules', dep)
        if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate
        if (dir === REPO) break
    }
    return null
}

function copyPackage(src, dest, rel) {
    fs.cpSync(src, dest, {
        recursive: true,
        dereference: true,
        // A package's own nested node_modules are copied as packages of their own, if needed.
        filter: (s) => {
            const r = path.join(rel, path.relative(src, s)).split(path.sep).join('/')
            if (SKIP.has(r)) return false
            return path.relative(src, s).split(path.sep)[0] !== 'node_modules'
        },
    })
}

function listFiles(dir, prefix = '') {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
}

function sha256(file) {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** POSIX sh, builtins only besides node (and readlink when present, to follow a symlink in /usr/local/bin). */
function launcher(abi, major) {
    return `#!/bin/sh
# revenue-bridge — offline bundle launcher. Needs Node.js ${major} on PATH (or NODE=/path/to/node).
case "$0" in */*) here=\${0%/*} ;; *) here=. ;; esac
if command -v readlink >/dev/null 2>&1; then real=$(readlink -f "$0" 2>/dev/null) && here=\${real%/*}; fi
node=\${NODE:-node}
if ! command -v "$node" >/dev/null 2>&1; then
    echo "Node.js introuvable : installez Node.js ${major} (ou NODE=/chemin/vers/node)" >&2
    echo "Node.js not found: install Node.js ${major} (or set NODE=/path/to/node)" >&2
    exit 2
fi
abi=$("$node" -p process.versions.modules)
if [ "$abi" != "${abi}" ]; then
    v=$("$node" -v)
    echo "Ce paquet a été construit pour Node.js ${major} (ABI ${abi}) ; ce node est $v (ABI $abi) : installez Node.js ${major} ou demandez le paquet construit pour votre version" >&2
    echo "This bundle was built for Node.js ${major} (ABI ${abi}); this node is $v (ABI $abi): install Node.js ${major} or ask for the bundle built for your version" >&2
    exit 2
fi
exec "$node" "$here/dist/bridge/cli/main.js" "$@"
`
}

main()
