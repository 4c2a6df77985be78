import i18n from '@dhis2/d2-i18n'
import { SingleSelectField, SingleSelectOption } from '@dhis2/ui'
import React from 'react'
import {
    RELATIVE_PERIODS,
    parsePeriodId,
    recentMonths,
    recentQuarters,
    recentYears,
    type PeriodKind,
} from '../../compute/periods'
import { useAppContext } from '../app-context'
import { periodLabel } from '../labels'
import styles from './context-bar.module.css'

const KINDS: PeriodKind[] = ['MONTH', 'QUARTER', 'YEAR', 'RELATIVE']

function kindLabel(k: PeriodKind): string {
    switch (k) {
        case 'MONTH':
            return i18n.t('Month')
        case 'QUARTER':
            return i18n.t('Quarter')
        case 'YEAR':
            return i18n.t('Year')
        case 'RELATIVE':
            return i18n.t('Relative period')
    }
}

/** Choices of each kind, newest first; the current selection is kept even if older. */
export function periodChoices(kind: PeriodKind, now: Date, current: string): string[] {
    const list =
        kind === 'MONTH'
            ? recentMonths(now, 36)
            : kind === 'QUARTER'
              ? recentQuarters(now, 12)
              : kind === 'YEAR'
                ? recentYears(now, 5)
                : [...RELATIVE_PERIODS]
    return parsePeriodId(current)?.kind === kind && !list.includes(current) ? [current, ...list] : list
}

/** What switching the kind selects: the last complete month / quarter, this year, the last 12 months. */
export function defaultFor(kind: PeriodKind, now: Date): string {
    switch (kind) {
        case 'MONTH':
            return recentMonths(now, 2)[1]
        case 'QUARTER':
            return recentQuarters(now, 2)[1]
        case 'YEAR':
            return recentYears(now, 1)[0]
        case 'RELATIVE':
            return 'LAST_12_MONTHS'
    }
}

export function PeriodPicker({ periodId, onChange }: { periodId: string; onChange: (id: string) => void }) {
    const { fmt, now } = useAppContext()
    const kind = parsePeriodId(periodId)?.kind ?? 'RELATIVE'
    return (
        <div className={styles.periodFields}>
            <div className={styles.kindField}>
                <SingleSelectField
                    label={i18n.t('Period type')}
                    selected={kind}
                    dense
                    dataTest="period-kind-select"
                    onChange={({ selected }) => onChange(defaultFor(selected as PeriodKind, now))}
                >
                    {KINDS.map((k) => (
                        <SingleSelectOption key={k} value={k} label={kindLabel(k)} />
                    ))}
                </SingleSelectField>
            </div>
            <div className={styles.periodField}>
                <SingleSelectField
                    label={i18n.t('Period')}
                    selected={periodId}
                    dense
                    dataTest="period-select"
                    onChange={({ selected }) => onChange(selected)}
                >
                    {periodChoices(kind, now, periodId).map((id) => (
                        <SingleSelectOption key={id} value={id} label={periodLabel(id, fmt)} />
                    ))}
                </SingleSelectField>
            </div>
        </div>
    )
}
