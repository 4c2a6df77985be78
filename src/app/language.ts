import i18n from '@dhis2/d2-i18n'
import { useCallback, useState } from 'react'

/**
 * French first. The app follows the DHIS2 user locale (set on the shared i18n instance by the app
 * adapter before the app renders): English for an `en…` locale, French for anything else (the
 * app has no third language, and French is Mali's). The in-app switch overrides it for the
 * browser session (sessionStorage), e.g. for a demo or a test.
 */
export type Lang = 'fr' | 'en'
export const LANGS: readonly Lang[] = ['fr', 'en']
export const LANG_STORAGE_KEY = 'recettes-hospitalieres.lang'

export const languageFor = (locale: string | undefined): Lang => (locale && /^en\b/i.test(locale) ? 'en' : 'fr')

function readOverride(): Lang | null {
    try {
        const v = window.sessionStorage.getItem(LANG_STORAGE_KEY)
        return v === 'fr' || v === 'en' ? v : null
    } catch {
        return null // storage disabled
    }
}

export function applyLanguage(lang: Lang): void {
    i18n.changeLanguage(lang)
    document.documentElement.setAttribute('lang', lang)
}

export interface LanguageState {
    lang: Lang
    /** Locale for numbers and dates: the DHIS2 locale, or the chosen language once switched. */
    locale: string
    setLang: (lang: Lang) => void
}

export function useLanguageState(): LanguageState {
    const [state, setState] = useState(() => {
        const dhis2Locale = i18n.language || 'fr'
        const override = readOverride()
        const lang = override ?? languageFor(dhis2Locale)
        applyLanguage(lang)
        return { lang, locale: override ?? (languageFor(dhis2Locale) === lang ? dhis2Locale : lang) }
    })
    const setLang = useCallback((lang: Lang) => {
        try {
            window.sessionStorage.setItem(LANG_STORAGE_KEY, lang)
        } catch {
            // storage disabled: the switch still holds until reload
        }
        applyLanguage(lang)
        setState({ lang, locale: lang })
    }, [])
    return { ...state, setLang }
}
