import React from 'react'

/**
 * A table that may scroll sideways on a narrow screen: focusable and named, so a keyboard user can
 * scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function ScrollRegion({ className, label, children }: { className?: string; label: string; children: React.ReactNode }) {
    return (
        <div className={className} tabIndex={0} role="region" aria-label={label}>
            {children}
        </div>
    )
}
