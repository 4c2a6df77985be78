import fs from 'node:fs'
import path from 'node:path'

/** Every file the bridge wrote under its state directory (SQLite file, -wal, -shm, lock), raw bytes. */
export function stateFiles(stateDir: string): Array<{ name: string; bytes: Buffer }> {
    if (!fs.existsSync(stateDir)) return []
    const out: Array<{ name: string; bytes: Buffer }> = []
    for (const name of fs.readdirSync(stateDir)) {
        const p = path.join(stateDir, name)
        if (fs.statSync(p).isFile()) out.push({ name, bytes: fs.readFileSync(p) })
    }
    return out
}

/** The forms a secret could take once written: as is, in a Basic header, URL-encoded, in UTF-16 (SQLite may store text so). */
export function secretForms(secret: string, username?: string): string[] {
    const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
    if (username) forms.add(Buffer.from(`${username}:${secret}`).toString('base64'))
    return [...forms]
}

/** Where any of the forms appears: names of the places, for a readable failure. */
export function leaks(places: Record<string, string | Buffer>, forms: string[]): string[] {
    const found: string[] = []
    for (const [where, content] of Object.entries(places)) {
        const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
        for (const f of forms) {
            if (buf.includes(Buffer.from(f, 'utf8')) || buf.includes(Buffer.from(f, 'utf16le'))) found.push(`${where} holds ${f.slice(0, 4)}…`)
        }
    }
    return found
}
