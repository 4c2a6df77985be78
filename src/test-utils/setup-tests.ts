import '@testing-library/jest-dom'
import { configure } from '@testing-library/react'

// @dhis2/ui renders data-test="dhis2-uicore-…", and so does this app.
configure({ testIdAttribute: 'data-test' })

// recharts' ResponsiveContainer measures its parent with ResizeObserver, which jsdom lacks.
class ResizeObserverStub {
    private readonly cb: ResizeObserverCallback
    constructor(cb: ResizeObserverCallback) {
        this.cb = cb
    }
    observe(target: Element): void {
        // Report a desktop-sized box once, so charts render their bars in tests.
        const entry = { target, contentRect: { width: 800, height: 300, top: 0, left: 0, bottom: 300, right: 800, x: 0, y: 0 } }
        this.cb([entry as unknown as ResizeObserverEntry], this as unknown as ResizeObserver)
    }
    unobserve(): void {}
    disconnect(): void {}
}
Object.assign(globalThis, { ResizeObserver: ResizeObserverStub })

// react-query logs every failed request with console.error; the error tests expect those failures
// (and assert on what the app shows), so keep the output for unexpected messages only.
const consoleError = console.error.bind(console)
console.error = (...args: unknown[]) => {
    const first = args[0] as { details?: unknown; type?: string } | undefined
    if (first && typeof first === 'object' && 'details' in first && ['access', 'unknown', 'network'].includes(String(first.type))) return
    consoleError(...args)
}
