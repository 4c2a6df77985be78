import type { z } from 'zod'
import type { Bilingual } from '../domain/line'

/**
 * Zod issues → lines a hospital IT officer can act on: the key (dotted path, and the line in a
 * YAML file), the problem and the fix, in French and English.
 */

type Issue = z.core.$ZodIssue
type PathKey = PropertyKey

/** Where a key sits in the file, when known (YAML). */
export type Locate = (path: PathKey[], key?: string) => number | null

const SECRET_KEY = /pass(word)?|pwd|token|secret|api[-_]?key/i

/** Custom messages of our schemas are JSON { fr, en }; older ones are "english / français". */
export function bilingualMessage(message: string): Bilingual {
    try {
        const m = JSON.parse(message) as Partial<Bilingual>
        if (typeof m?.fr === 'string' && typeof m?.en === 'string') return { fr: m.fr, en: m.en }
    } catch {
        /* not ours */
    }
    const i = message.indexOf(' / ')
    if (i > 0) return { en: message.slice(0, i), fr: message.slice(i + 3) }
    return { fr: message, en: message }
}

export function dottedPath(path: readonly PathKey[]): string {
    return path.map(String).join('.')
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
    let cur = data
    for (const k of path) {
        if (cur === null || typeof cur !== 'object') return undefined
        cur = (cur as Record<PropertyKey, unknown>)[k as string]
    }
    return cur
}

const TYPE_NAMES: Record<string, Bilingual> = {
    string: { fr: 'un texte', en: 'a text' },
    number: { fr: 'un nombre', en: 'a number' },
    boolean: { fr: 'true ou false', en: 'true or false' },
    object: { fr: 'un objet (des clés)', en: 'an object (keys)' },
    array: { fr: 'une liste', en: 'a list' },
    null: { fr: 'null', en: 'null' },
    undefined: { fr: 'rien', en: 'nothing' },
    int: { fr: 'un nombre entier', en: 'a whole number' },
}

function kindOf(v: unknown): string {
    if (v === null) return 'null'
    if (Array.isArray(v)) return 'array'
    return typeof v
}

function show(v: unknown): string {
    const s = typeof v === 'string' ? v : JSON.stringify(v)
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 59)}…` : s
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)])
    for (let j = 1; j <= b.length; j++) d[0][j] = j
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1))
        }
    }
    return d[a.length][b.length]
}

export function closest(word: string, candidates: readonly string[]): string | null {
    let best: string | null = null
    let bestD = Infinity
    for (const c of candidates) {
        const dd = distance(word, c)
        if (dd < bestD) {
            best = c
            bestD = dd
        }
    }
    return best !== null && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : null
}

// Schema walking, to list the keys allowed where an unknown key was found (zod 4 internals, best effort).
type AnySchema = { _zod: { def: Record<string, any> } }

function unwrap(s: AnySchema | undefined): AnySchema | undefined {
    let cur = s
    for (let i = 0; cur && i < 20; i++) {
        const def = cur._zod.def
        if (['default', 'optional', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) cur = def.innerType
        else if (def.type === 'pipe') cur = def.in
        else return cur
    }
    return cur
}

function pickOption(s: AnySchema, data: unknown): AnySchema | undefined {
    const options = (s._zod.def.options ?? []) as AnySchema[]
    const type = (data as Record<string, unknown> | null)?.type
    for (const o of options) {
        const u = unwrap(o)
        const lit = u?._zod.def.shape?.type ? unwrap(u._zod.def.shape.type) : undefined
        if (lit && (lit._zod.def.values ?? []).includes(type)) return u
    }
    return options.length === 1 ? unwrap(options[0]) : undefined
}

export function keysAt(schema: unknown, path: readonly PathKey[], data: unknown): string[] {
    let cur = unwrap(schema as AnySchema)
    let d = data
    const step = (s: AnySchema | undefined): AnySchema | undefined => {
        const u = unwrap(s)
        return u && u._zod.def.type === 'union' ? pickOption(u, d) : u
    }
    cur = step(cur)
    for (const k of path) {
        if (!cur) return []
        const def = cur._zod.def
        if (def.type === 'object') cur = def.shape[k as string]
        else if (def.type === 'array') cur = def.element
        else if (def.type === 'record') cur = def.valueType
        else return []
        d = d && typeof d === 'object' ? (d as Record<PropertyKey, unknown>)[k as string] : undefined
        cur = step(cur)
    }
    return cur && cur._zod.def.type === 'object' ? Object.keys(cur._zod.def.shape) : []
}

interface Described {
    problem: Bilingual
    fix: Bilingual
}

function describe(issue: Issue, data: unknown, schema: unknown): Described[] {
    const value = valueAt(data, issue.path)
    switch (issue.code) {
        case 'invalid_type': {
            const expected = TYPE_NAMES[issue.expected] ?? { fr: issue.expected, en: issue.expected }
            if (value === undefined) {
                return [{ problem: { fr: 'clé obligatoire absente', en: 'required key missing' }, fix: { fr: `ajoutez-la, avec ${expected.fr}`, en: `add it, with ${expected.en}` } }]
            }
            const got = TYPE_NAMES[kindOf(value)] ?? { fr: kindOf(value), en: kindOf(value) }
            const quoted = issue.expected === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
            return [
                {
                    problem: { fr: `attendu ${expected.fr}, trouvé ${got.fr} (${show(value)})`, en: `expected ${expected.en}, found ${got.en} (${show(value)})` },
                    fix: quoted
                        ? { fr: `écrivez ${value} sans guillemets`, en: `write ${value} without quotes` }
                        : { fr: `remplacez la valeur par ${expected.fr}`, en: `replace the value with ${expected.en}` },
                },
            ]
        }
        case 'unrecognized_keys': {
            const known = keysAt(schema, issue.path, data)
            return issue.keys.map((k) => {
                const secret = SECRET_KEY.test(k)
                const guess = closest(k, known)
                return {
                    problem: { fr: `clé inconnue « ${k} »`, en: `unknown key "${k}"` },
                    fix: secret
                        ? {
                              fr: "un secret ne s'écrit pas dans ce fichier : mettez-le dans une variable d'environnement et nommez celle-ci (passwordEnv, tokenEnv, urlEnv)",
                              en: 'secrets do not go in this file: put it in an environment variable and name that variable (passwordEnv, tokenEnv, urlEnv)',
                          }
                        : guess
                          ? { fr: `vouliez-vous dire « ${guess} » ?`, en: `did you mean "${guess}"?` }
                          : {
                                fr: `retirez-la${known.length ? ` (clés possibles : ${known.join(', ')})` : ''}`,
                                en: `remove it${known.length ? ` (allowed keys: ${known.join(', ')})` : ''}`,
                            },
                }
            })
        }
        case 'invalid_value': {
            const allowed = issue.values.map(String)
            const guess = typeof value === 'string' ? closest(value, allowed) : null
            const list = allowed.length === 1 ? allowed[0] : allowed.join(', ')
            return [
                {
                    problem: { fr: `valeur « ${show(value)} » non permise`, en: `value "${show(value)}" is not allowed` },
                    fix: {
                        fr: `${allowed.length === 1 ? 'écrivez' : 'choisissez parmi'} ${list}${guess ? ` (vouliez-vous dire « ${guess} » ?)` : ''}`,
                        en: `${allowed.length === 1 ? 'write' : 'use one of'} ${list}${guess ? ` (did you mean "${guess}"?)` : ''}`,
                    },
                },
            ]
        }
        case 'invalid_union': {
            const u = issue as Issue & { discriminator?: string; options?: unknown[] }
            if (u.discriminator) {
                const allowed = (u.options ?? []).map(String)
                const guess = typeof value === 'string' ? closest(value, allowed) : null
                return [
                    {
                        problem: value === undefined ? { fr: `« ${u.discriminator} » absent`, en: `"${u.discriminator}" missing` } : { fr: `${u.discriminator} « ${show(value)} » inconnu`, en: `unknown ${u.discriminator} "${show(value)}"` },
                        fix: {
                            fr: `choisissez parmi ${allowed.join(', ')}${guess ? ` (vouliez-vous dire « ${guess} » ?)` : ''}`,
                            en: `use one of ${allowed.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
                        },
                    },
                ]
            }
            return [{ problem: { fr: 'valeur de forme inattendue', en: 'value of an unexpected shape' }, fix: { fr: 'voir docs/connectors/', en: 'see docs/connectors/' } }]
        }
        case 'too_small':
        case 'too_big': {
            const small = issue.code === 'too_small'
            const bound = Number(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum)
            const inclusive = (issue as { inclusive?: boolean }).inclusive !== false
            if (issue.origin === 'string') {
                if (small && bound <= 1) return [{ problem: { fr: 'texte vide', en: 'empty text' }, fix: { fr: 'donnez une valeur ou retirez la clé', en: 'give a value or remove the key' } }]
                return [
                    {
                        problem: small ? { fr: `texte trop court`, en: `text too short` } : { fr: `texte trop long`, en: `text too long` },
                        fix: small ? { fr: `au moins ${bound} caractères`, en: `at least ${bound} characters` } : { fr: `au plus ${bound} caractères`, en: `at most ${bound} characters` },
                    },
                ]
            }
            if (issue.origin === 'array' || issue.origin === 'set') {
                return [
                    {
                        problem: small ? { fr: 'liste trop courte', en: 'list too short' } : { fr: 'liste trop longue', en: 'list too long' },
                        fix: small ? { fr: `donnez au moins ${bound} élément(s)`, en: `give at least ${bound} item(s)` } : { fr: `au plus ${bound} élément(s)`, en: `at most ${bound} item(s)` },
                    },
                ]
            }
            const op = small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'
            return [
                {
                    problem: { fr: `${show(value)} est trop ${small ? 'petit' : 'grand'}`, en: `${show(value)} is too ${small ? 'small' : 'large'}` },
                    fix: { fr: `une valeur ${op} ${bound}`, en: `a value ${op} ${bound}` },
                },
            ]
        }
        case 'invalid_format': {
            if (issue.format === 'url') {
                return [{ problem: { fr: `adresse invalide « ${show(value)} »`, en: `invalid address "${show(value)}"` }, fix: { fr: 'écrivez http(s)://hôte[:port]/chemin', en: 'write http(s)://host[:port]/path' } }]
            }
            const m = bilingualMessage(issue.message)
            return [{ problem: { fr: `format invalide « ${show(value)} »`, en: `invalid format "${show(value)}"` }, fix: m }]
        }
        case 'custom': {
            const m = bilingualMessage(issue.message)
            return [{ problem: m, fix: { fr: '', en: '' } }]
        }
        case 'invalid_key':
        case 'invalid_element': {
            const inner = (issue as { issues: Issue[] }).issues ?? []
            return inner.flatMap((i) => describe({ ...i, path: [...issue.path, ...i.path] } as Issue, data, schema))
        }
        default: {
            const m = bilingualMessage(issue.message)
            return [{ problem: m, fix: { fr: '', en: '' } }]
        }
    }
}

/** One bilingual line per problem: `  - key (ligne N) : problème — correction`. */
export function describeIssues(issues: readonly Issue[], data: unknown, schema: unknown, locate?: Locate): { fr: string[]; en: string[] } {
    const fr: string[] = []
    const en: string[] = []
    for (const issue of issues) {
        for (const d of describe(issue, data, schema)) {
            // An unknown key is named by its own path (ledger.sources.0.querry).
            const extraKey = issue.code === 'unrecognized_keys' ? (d.problem.en.match(/"(.*)"/)?.[1] ?? undefined) : undefined
            const full = extraKey !== undefined ? [...issue.path, extraKey] : issue.path
            const key = dottedPath(full) || '(racine)'
            const keyEn = dottedPath(full) || '(root)'
            const line = locate?.(issue.path as PathKey[], extraKey) ?? null
            const at = line ? { fr: ` (ligne ${line})`, en: ` (line ${line})` } : { fr: '', en: '' }
            fr.push(`  - ${key}${at.fr} : ${d.problem.fr}${d.fix.fr ? ` — correction : ${d.fix.fr}` : ''}`)
            en.push(`  - ${keyEn}${at.en}: ${d.problem.en}${d.fix.en ? ` — fix: ${d.fix.en}` : ''}`)
        }
    }
    return { fr, en }
}
