import { startStandin, type Standin, type StandinOptions } from '../standin'

/** The demo's port problem, said in both languages (issue 16: no raw EADDRINUSE stack trace). */
export class PortTaken extends Error {
    constructor(readonly port: number, readonly reason: { fr: string; en: string }) {
        super(reason.en)
    }
}

const taken = (e: unknown) => (e as { code?: string }).code === 'EADDRINUSE'

/**
 * Starts the stand-in on `port`. When that port is the default (not asked for) and taken, takes
 * the next free one among the following `tries` and says which; when the user chose it, stops
 * with a message naming the port and how to choose another.
 */
export async function startStandinNear(
    opts: StandinOptions & { port: number },
    o: { chosen: boolean; tries?: number; note?: (m: { fr: string; en: string }) => void }
): Promise<Standin> {
    const tries = o.chosen || opts.port === 0 ? 0 : (o.tries ?? 20)
    for (let i = 0; ; i++) {
        const port = opts.port + i
        try {
            const s = await startStandin({ ...opts, port })
            if (i > 0) o.note?.({ fr: `Le port ${opts.port} est occupé : le stand-in DHIS2 écoute sur le port ${port}`, en: `Port ${opts.port} is taken: the DHIS2 stand-in listens on port ${port}` })
            return s
        } catch (e) {
            if (!taken(e)) throw e
            if (i >= tries) {
                const last = port
                throw new PortTaken(opts.port, {
                    fr: `Le port ${opts.port}${last !== opts.port ? ` (et jusqu'à ${last})` : ''} est déjà pris par un autre programme : choisissez-en un autre avec « npm run demo -- --port 8090 » (ou --port 0 pour n'importe quel port libre)`,
                    en: `Port ${opts.port}${last !== opts.port ? ` (and up to ${last})` : ''} is already taken by another program: choose another with "npm run demo -- --port 8090" (or --port 0 for any free port)`,
                })
            }
        }
    }
}
