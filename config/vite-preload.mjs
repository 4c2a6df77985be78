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
                const already = new Set(chunks.filter((c) => c.isEntry).flatMap((c) => [c.fileName, ...c.imports]))
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
                const tags = [
                    ...files.map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'script', crossorigin: true, href: `./${f}` }, injectTo: 'head' })),
                    // No crossorigin: Vite's loader asks for the styles without it, and the two must match.
                    ...[...css].map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', href: `./${f}` }, injectTo: 'head' })),
                ]
                return { html, tags }
            },
        },
    }
}

export default { plugins: [preloadEntryChunks()] }
