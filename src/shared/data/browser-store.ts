import { useConfig, useCurrentUserInfo } from '@dhis2/app-runtime'
import { useMemo } from 'react'

/**
 * What the app keeps in the browser between visits (localStorage), per server and user, so that a
 * repeat visit on a slow link can start before its first answers (bench/README.md rows (7)). Nothing
 * is kept without a known user (tests, a shell without user info). Only metadata goes here (codes,
 * UIDs, org unit names), never a figure.
 */
export function useBrowserStore<T>(name: string): { remembered: T | null; keep: (next: (prev: T | null) => T) => void } {
    const user = useCurrentUserInfo() as { id?: string } | undefined
    const { baseUrl } = useConfig()
    const storeKey = user?.id ? `payrev.${name}|${baseUrl}|${user.id}` : null
    return useMemo(() => {
        const read = (): T | null => {
            try {
                const text = storeKey ? window.localStorage.getItem(storeKey) : null
                return text ? (JSON.parse(text) as T) : null
            } catch {
                return null
            }
        }
        const keep = (next: (prev: T | null) => T) => {
            try {
                if (storeKey) window.localStorage.setItem(storeKey, JSON.stringify(next(read())))
            } catch {
                // A full or disabled storage: the next visit asks first, as before.
            }
        }
        return { remembered: read(), keep }
    }, [storeKey])
}
