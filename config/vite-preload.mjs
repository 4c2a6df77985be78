import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Vite configuration merged onto the app platform's (d2.config.js `viteConfigExtensions`).
 *
 * The platform's shell loads the app's own chunk with a dynamic import, only once the shell has
 * run and asked the server for `system/info`, `me` and `userSettings`: on a district office's 3G
 * link (300 ms round trip) the app's 170 kB waited for those round trips. A `preload` of the
 * entry's chunk (with the chunks and styles it imports) in its HTML page lets the browser fetch
 * it beside the shell — bench/README.md, row 7. Same for the dashboard plugin's page.
 * `preload as=script`, not `modulepreload`: the latter also compiles the chunk at once, beside
 * the shell's own start, and made the repeat visit (chunks already cached) slower in every run.
 */
const ENTRY_OF_PAGE = { 'index.html': 'App', 'plugin.html': 'Plugin' }

/**
 * The early start (src/early/): the app's first requests asked while the shell loads (the shell
 * renders the app only after its own start-up requests). Its own entry, so that it waits for none
 * of the shell's code, loaded `async` by index.html alone. The platform copies src/ to .d2/shell/src/D2App.
 */
const EARLY = 'early'
const EARLY_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.d2', 'shell', 'src', 'D2App', 'early', 'index.ts')

/** @returns {import('vite').Plugin} */
export function preloadEntryChunks() {
    return {
        name: 'recettes:preload-entry-chunks',
        apply: 'build',
        transformIndexHtml: {
            order: 'post',
            handler(html, ctx) {
                const page = ctx.filename.split('/').pop()
                const entry = ENTRY_OF_PAGE[page]
                if (!entry || !ctx.bundle) return html
                const chunks = Object.values(ctx.bundle).filter((c) => c.type === 'chunk')
                const root = chunks.find((c) => c.name === entry && c.isDynamicEntry)
                if (!root) return html
                // The entry chunk and what it imports statically, minus what the page loads already.
                const early = page === 'index.html' ? chunks.find((c) => c.isEntry && c.name === EARLY) : undefined
                const already = new Set(chunks.filter((c) => c.isEntry && c !== early).flatMap((c) => [c.fileName, ...c.imports]))
                const files = []
                const css = new Set()
                const visit = (fileName) => {
                    if (already.has(fileName) || files.includes(fileName)) return
                    const chunk = ctx.bundle[fileName]
                    if (!chunk || chunk.type !== 'chunk') return
                    files.push(fileName)
                    for (const f of chunk.viteMetadata?.importedCss ?? []) css.add(f)
                    chunk.imports.forEach(visit)
                }
                visit(root.fileName)
                if (early) early.imports.forEach(visit)
                const tags = [
                    // First in the page, `async`: it runs as soon as it has arrived, not after the shell.
                    ...(early ? [{ tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src: `./${early.fileName}` }, injectTo: 'head-prepend' }] : []),
                    ...files.map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'script', crossorigin: true, href: `./${f}` }, injectTo: 'head' })),
                    // No crossorigin: Vite's loader asks for the styles without it, and the two must match.
                    ...[...css].map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', href: `./${f}` }, injectTo: 'head' })),
                ]
                return { html, tags }
            },
        },
    }
}

export default {
    plugins: [preloadEntryChunks()],
    build: { rollupOptions: { input: { [EARLY]: EARLY_ENTRY } } },
}
