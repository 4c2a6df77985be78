import http from 'node:http'
import { PortTaken, startStandinNear } from './free-port'

/** Holds a port the way another program would. */
function occupy(): Promise<{ port: number; close: () => Promise<void> }> {
    return new Promise((resolve) => {
        const srv = http.createServer().listen(0, '127.0.0.1', () => {
            resolve({ port: (srv.address() as { port: number }).port, close: () => new Promise((r) => srv.close(() => r())) })
        })
    })
}

test('the default port taken: the next free one, said in both languages', async () => {
    const other = await occupy()
    const notes: Array<{ fr: string; en: string }> = []
    const s = await startStandinNear({ port: other.port, seedFixtures: false }, { chosen: false, note: (m) => notes.push(m) })
    try {
        expect(s.port).toBeGreaterThan(other.port)
        expect(notes).toEqual([
            { fr: `Le port ${other.port} est occupé : le stand-in DHIS2 écoute sur le port ${s.port}`, en: `Port ${other.port} is taken: the DHIS2 stand-in listens on port ${s.port}` },
        ])
        expect((await fetch(`${s.url}/api/ping`)).status).toBeLessThan(500)
    } finally {
        await s.close()
        await other.close()
    }
})

test('a port the user chose is taken: a bilingual message naming it and how to choose another', async () => {
    const other = await occupy()
    try {
        const e = await startStandinNear({ port: other.port, seedFixtures: false }, { chosen: true }).catch((x) => x)
        expect(e).toBeInstanceOf(PortTaken)
        expect(e.reason.en).toBe(`Port ${other.port} is already taken by another program: choose another with "npm run demo -- --port 8090" (or --port 0 for any free port)`)
        expect(e.reason.fr).toMatch(new RegExp(`^Le port ${other.port} est déjà pris par un autre programme`))
    } finally {
        await other.close()
    }
})
