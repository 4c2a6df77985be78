import React from 'react'
import styles from './view-heading.module.css'

/**
 * A view's heading: its name, the org unit and period it shows, and beside it (not inside: a
 * heading names the view, nothing else) the view's actions — the « D'où vient ce chiffre ? » button.
 */
export function ViewHeading({ title, context, children }: { title: string; context: string; children?: React.ReactNode }) {
    return (
        <div className={styles.row}>
            <h2 className={styles.heading}>
                {title} <span className={styles.context}>{context}</span>
            </h2>
            {children}
        </div>
    )
}
