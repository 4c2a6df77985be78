import i18n from '@dhis2/d2-i18n'
import React, { createContext, useContext, useMemo, type ReactNode } from 'react'
import { makeFormatter, type Formatter } from './format'

/** What every view needs besides its data: the formatter of the current locale and "now". */
export interface AppContextValue {
    lang: string
    fmt: Formatter
    /** Fixed for the session so relative periods do not move while the app is open (tests pin it). */
    now: Date
}

const Ctx = createContext<AppContextValue | null>(null)

export function AppContextProvider({ lang, locale, now, children }: { lang: string; locale: string; now: Date; children: ReactNode }) {
    const value = useMemo(
        () => ({
            lang,
            now,
            fmt: makeFormatter(locale, {
                na: i18n.t('n/a'),
                points: (v: string) => i18n.t('{{value}} pts', { value: v }),
            }),
        }),
        // lang is a dependency on purpose: the labels above are translated strings.
        [lang, locale, now]
    )
    return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}

export function useAppContext(): AppContextValue {
    const v = useContext(Ctx)
    if (!v) throw new Error('useAppContext outside AppContextProvider')
    return v
}
