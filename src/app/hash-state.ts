import { useCallback, useEffect, useState } from 'react'
import { formatHash, parseHash, type AppLocation } from './hash'

// The pure part (no React) is in ./hash.ts: the early start (src/early/) reads the hash too.
export { VIEWS, formatHash, parseHash, type AppLocation, type ViewId } from './hash'

export function useHashLocation(): [AppLocation, (next: Partial<AppLocation>) => void] {
    const [loc, setLoc] = useState<AppLocation>(() => parseHash(window.location.hash))
    useEffect(() => {
        const onChange = () => setLoc(parseHash(window.location.hash))
        window.addEventListener('hashchange', onChange)
        return () => window.removeEventListener('hashchange', onChange)
    }, [])
    const navigate = useCallback((next: Partial<AppLocation>) => {
        setLoc((prev) => {
            const merged = { ...prev, ...next }
            const hash = formatHash(merged)
            if (window.location.hash !== hash) window.location.hash = hash
            return merged
        })
    }, [])
    return [loc, navigate]
}
