import type { Bilingual } from '../domain/line'

export type Lang = 'fr' | 'en'

/** French unless asked otherwise: --lang wins, then LC_ALL / LC_MESSAGES / LANG starting with "en". */
export function pickLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
    if (flag) return flag.toLowerCase().startsWith('en') ? 'en' : 'fr'
    const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
    return locale.toLowerCase().startsWith('en') ? 'en' : 'fr'
}

export const say = (m: Bilingual, lang: Lang): string => m[lang]

/** Whole FCFA and counts with the grouping of the language (1 234 567 / 1,234,567). */
export function formatNumber(n: number, lang: Lang): string {
    return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 0 }).format(n)
}
