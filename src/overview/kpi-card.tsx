import i18n from '@dhis2/d2-i18n'
import { Card } from '@dhis2/ui'
import React from 'react'
import type { Kpi, KpiKey } from '../compute/kpis'
import { useAppContext } from '../shared/app-context'
import { Change } from '../shared/change'
import type { Formatter } from '../shared/format'
import { kpiHelp, kpiLabel } from '../shared/labels'
import styles from './overview.module.css'

/** For refunds and failures, going down is the good way. */
export const HIGHER_IS_BETTER: Record<KpiKey, boolean> = {
    gross: true,
    net: true,
    payments: true,
    averageTicket: true,
    digitalShareValue: true,
    digitalShareCount: true,
    refunds: false,
    failureRate: false,
}

export const kpiTestId = (k: KpiKey): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

export function formatKpiValue(kpi: Pick<Kpi, 'kind'>, value: Kpi['value'], fmt: Formatter): string {
    return kpi.kind === 'money' ? fmt.money(value) : kpi.kind === 'count' ? fmt.count(value) : fmt.percent(value)
}

interface Props {
    kpi: Kpi
    previousLabel: string
    ytdLabel: string
    /** Dashboard item size (plugin): the value and the change vs the same period last year only. */
    compact?: boolean
}

export function KpiCard({ kpi, previousLabel, ytdLabel, compact = false }: Props) {
    const { fmt } = useAppContext()
    const id = kpiTestId(kpi.key)
    const better = HIGHER_IS_BETTER[kpi.key]
    return (
        <Card className={styles.card} dataTest={`kpi-${id}`}>
            <div className={styles.cardBody}>
                <h3 className={styles.kpiLabel}>{kpiLabel(kpi.key)}</h3>
                <div className={styles.kpiValue} data-test={`kpi-${id}-value`}>
                    {formatKpiValue(kpi, kpi.value, fmt)}
                </div>
                {compact ? null : <div className={styles.kpiHelp}>{kpiHelp(kpi.key)}</div>}
                <dl className={styles.changes}>
                    {compact ? null : (
                        <div className={styles.changeRow}>
                            <dt>{previousLabel}</dt>
                            <dd>
                                <Change value={kpi.previousChange} kind={kpi.kind} higherIsBetter={better} dataTest={`kpi-${id}-previous`} />
                            </dd>
                        </div>
                    )}
                    <div className={styles.changeRow}>
                        <dt>{i18n.t('vs same period last year')}</dt>
                        <dd>
                            <Change value={kpi.yearChange} kind={kpi.kind} higherIsBetter={better} dataTest={`kpi-${id}-year`} />
                        </dd>
                    </div>
                    {compact ? null : (
                        <div className={styles.ytd}>
                            <dt>{ytdLabel}</dt>
                            <dd>
                                <span className={styles.ytdValue} data-test={`kpi-${id}-ytd`}>
                                    {formatKpiValue(kpi, kpi.ytdValue, fmt)}
                                </span>
                                <Change value={kpi.ytdChange} kind={kpi.kind} higherIsBetter={better} dataTest={`kpi-${id}-ytd-change`} />
                            </dd>
                        </div>
                    )}
                </dl>
            </div>
        </Card>
    )
}
