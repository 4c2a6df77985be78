import { CHANNELS, SERVICES, type Channel, type Service } from '../../contract/codes'
import { foldKey } from './text'

/** docs/contract.md §2 built-in spellings (matched after foldKey: accents, case, spaces ignored). */
export const BUILTIN_CHANNEL_ALIASES: Readonly<Record<string, Channel>> = {
    espèces: 'CASH',
    cash: 'CASH',
    liquide: 'CASH',
    om: 'ORANGE_MONEY',
    'orange money': 'ORANGE_MONEY',
    orange: 'ORANGE_MONEY',
    moov: 'MOOV_MONEY',
    'moov money': 'MOOV_MONEY',
    flooz: 'MOOV_MONEY',
    sama: 'SAMA_MONEY',
    'sama money': 'SAMA_MONEY',
    carte: 'CARD',
    'carte bancaire': 'CARD',
    tpe: 'CARD',
    card: 'CARD',
    visa: 'CARD',
    gab: 'CARD',
    autre: 'OTHER',
}

export const BUILTIN_SERVICE_ALIASES: Readonly<Record<string, Service>> = {
    consultation: 'CONSULTATION',
    consultations: 'CONSULTATION',
    examen: 'EXAM',
    examens: 'EXAM',
    laboratoire: 'EXAM',
    analyse: 'EXAM',
    analyses: 'EXAM',
    imagerie: 'EXAM',
    radiologie: 'EXAM',
    pharmacie: 'PHARMACY',
    médicament: 'PHARMACY',
    médicaments: 'PHARMACY',
    hospitalisation: 'HOSPITALISATION',
    autre: 'OTHER',
    autres: 'OTHER',
}

export interface AliasTable<T extends string> {
    resolve(value: string): T | null
    /** The canonical names that resolve to themselves (resolve(c) === c). */
    readonly fixed: readonly T[]
}

/** Canonical names, then built-ins, then configured aliases (the configuration wins). */
export function aliasTable<T extends string>(canonical: readonly T[], builtins: Readonly<Record<string, T>>, configured?: Readonly<Record<string, T>>): AliasTable<T> {
    const map = new Map<string, T>()
    for (const c of canonical) map.set(foldKey(c), c)
    for (const [k, v] of Object.entries(builtins)) map.set(foldKey(k), v)
    for (const [k, v] of Object.entries(configured ?? {})) {
        if ((canonical as readonly string[]).includes(v)) map.set(foldKey(k), v)
    }
    // The canonical names that still resolve to themselves (a configured alias may take one
    // over): most lines write one of them, matched by comparison, without hashing the text.
    const fixed = canonical.filter((c) => map.get(foldKey(c)) === c)
    // Ledgers repeat a handful of spellings: remember each raw spelling once folded.
    const seen = new Map<string, T | null>()
    return {
        fixed,
        resolve: (value) => {
            for (let i = 0; i < fixed.length; i++) if (fixed[i] === value) return fixed[i]
            let r = seen.get(value)
            if (r === undefined) {
                r = map.get(foldKey(value)) ?? null
                if (seen.size > 10_000) seen.clear()
                seen.set(value, r)
            }
            return r
        },
    }
}

export const channelTable = (configured?: Readonly<Record<string, Channel>>) => aliasTable(CHANNELS, BUILTIN_CHANNEL_ALIASES, configured)
export const serviceTable = (configured?: Readonly<Record<string, Service>>) => aliasTable(SERVICES, BUILTIN_SERVICE_ALIASES, configured)
