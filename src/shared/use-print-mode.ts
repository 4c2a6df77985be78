import { useEffect, useState } from 'react'
import { flushSync } from 'react-dom'

/**
 * Charts are sized by ResponsiveContainer from the screen layout, and the browser does not
 * re-measure them when it lays the page out for paper: a chart drawn 1300 px wide would be cut.
 * On `beforeprint` (synchronous, before the print layout) charts re-render at a fixed width that
 * fits an A4 or Letter page; `afterprint` restores them.
 */
export const PRINT_CHART_WIDTH = 640

export function usePrintMode(): boolean {
    const [printing, setPrinting] = useState(false)
    useEffect(() => {
        const before = () => flushSync(() => setPrinting(true))
        const after = () => setPrinting(false)
        window.addEventListener('beforeprint', before)
        window.addEventListener('afterprint', after)
        return () => {
            window.removeEventListener('beforeprint', before)
            window.removeEventListener('afterprint', after)
        }
    }, [])
    return printing
}
