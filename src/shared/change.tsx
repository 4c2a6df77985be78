import React from 'react'
import type { KpiKind } from '../compute/kpis'
import type { Maybe } from '../compute/metrics'
import { useAppContext } from './app-context'
import styles from './change.module.css'

export type Tone = 'good' | 'bad' | 'neutral'

/** Green when the change goes the good way (up for revenue, down for failures), red otherwise. */
export function toneOf(value: Maybe, higherIsBetter = true): Tone {
    if (value === null || value === 0 || Math.abs(value) < 1e-9) return 'neutral'
    return value > 0 === higherIsBetter ? 'good' : 'bad'
}

interface Props {
    value: Maybe
    kind: KpiKind
    higherIsBetter?: boolean
    dataTest?: string
}

/** A change (growth in %, or points for ratios), coloured, with an arrow for those who cannot tell colours apart. */
export function Change({ value, kind, higherIsBetter = true, dataTest }: Props) {
    const { fmt } = useAppContext()
    const tone = toneOf(value, higherIsBetter)
    const text = kind === 'ratio' ? fmt.points(value) : fmt.growth(value)
    const arrow = value === null || value === 0 ? '' : value > 0 ? '▲' : '▼'
    return (
        <span className={`${styles.change} ${styles[tone]}`} data-test={dataTest} data-tone={tone}>
            {arrow ? (
                <span className={styles.arrow} aria-hidden="true">
                    {arrow}
                </span>
            ) : null}
            {text}
        </span>
    )
}
