import i18n from '@dhis2/d2-i18n'
import type { KpiKey } from '../compute/kpis'
import { isoPeriodRange, parsePeriodId, type RelativePeriod } from '../compute/periods'
import { CHANNEL_NAMES, SERVICE_NAMES, shortName, type Channel, type Service } from '@recettes/contract'
import { languageFor } from '../app/language'
import type { Formatter } from './format'

/**
 * Channel and service names come from contract/labels.ts, the names the metadata package installs
 * in DHIS2, so the dashboards and DHIS2's own tools say the same; shown in the app's language (not
 * the server's displayName, which follows the DHIS2 locale and would ignore the in-app switch).
 * Called at render time.
 */
const appLang = () => languageFor(i18n.language)
export const channelLabel = (c: Channel): string => shortName(CHANNEL_NAMES[c], appLang())
export const serviceLabel = (s: Service): string => shortName(SERVICE_NAMES[s], appLang())

export function kpiLabel(k: KpiKey): string {
    switch (k) {
        case 'gross':
            return i18n.t('Gross revenue')
        case 'net':
            return i18n.t('Net revenue')
        case 'payments':
            return i18n.t('Successful payments')
        case 'averageTicket':
            return i18n.t('Average ticket')
        case 'digitalShareValue':
            return i18n.t('Digital share (value)')
        case 'digitalShareCount':
            return i18n.t('Digital share (count)')
        case 'refunds':
            return i18n.t('Refunds')
        case 'failureRate':
            return i18n.t('Failed payment rate')
    }
}

export function kpiHelp(k: KpiKey): string {
    switch (k) {
        case 'gross':
            return i18n.t('Successful payments collected')
        case 'net':
            return i18n.t('Gross revenue minus refunds')
        case 'payments':
            return i18n.t('Number of successful payment attempts')
        case 'averageTicket':
            return i18n.t('Gross revenue / successful payments')
        case 'digitalShareValue':
            return i18n.t('Mobile money and card, share of gross revenue')
        case 'digitalShareCount':
            return i18n.t('Mobile money and card, share of successful payments')
        case 'refunds':
            return i18n.t('Refunds paid back')
        case 'failureRate':
            return i18n.t('Failed / (successful + failed) attempts')
    }
}

export function relativePeriodLabel(p: RelativePeriod): string {
    switch (p) {
        case 'THIS_MONTH':
            return i18n.t('This month')
        case 'LAST_MONTH':
            return i18n.t('Last month')
        case 'LAST_3_MONTHS':
            return i18n.t('Last 3 months')
        case 'LAST_6_MONTHS':
            return i18n.t('Last 6 months')
        case 'LAST_12_MONTHS':
            return i18n.t('Last 12 months')
        case 'THIS_QUARTER':
            return i18n.t('This quarter (to date)')
        case 'LAST_QUARTER':
            return i18n.t('Last quarter')
        case 'THIS_YEAR':
            return i18n.t('This year (to date)')
        case 'LAST_YEAR':
            return i18n.t('Last year')
    }
}

/** `202610` → "octobre 2026", `2026Q3` → "T3 2026", `2026` → "2026", keywords → their label. */
export function periodLabel(id: string, fmt: Formatter): string {
    const p = parsePeriodId(id)
    if (!p) return id
    switch (p.kind) {
        case 'MONTH':
            return fmt.monthLong(id)
        case 'QUARTER': {
            const r = isoPeriodRange(id)!
            return i18n.t('Q{{quarter}} {{year}}', { quarter: id.slice(5), year: Math.floor(r.start / 12) })
        }
        case 'YEAR':
            return id
        case 'RELATIVE':
            return relativePeriodLabel(id as RelativePeriod)
    }
}
