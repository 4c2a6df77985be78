import { DateTime } from 'luxon'
import { periodOf, periodRange } from '../aggregate'
import type { PeriodType } from '../../contract/codes'
import type { Bilingual } from '../domain/line'
import type { LiveDataSet } from '../dhis2/metadata'

/**
 * Period checks the server will make (reference §4.4, E7640/E7641/E7643), made first so the
 * report can say plainly why a value will be refused. They are warnings: a user with
 * F_EDIT_EXPIRED or ALL is not locked, so only the server's answer decides.
 */
export interface PeriodContext {
    dataSet: LiveDataSet
    periodType: PeriodType
    /** Today's date in the facility's zone, YYYY-MM-DD. */
    today: string
    zone: string
}

function nextPeriod(period: string, periodType: PeriodType, zone: string): string {
    const end = DateTime.fromISO(periodRange(period).end, { zone: 'UTC' }).plus({ days: 1 })
    return periodOf(end.toUTC().toISO()!, 'UTC', periodType)
}

/** The latest period DHIS2 accepts: current + (openFuturePeriods − 1); 0 means the previous one. */
export function latestOpenPeriod(ctx: PeriodContext): string {
    const currentStart = DateTime.fromISO(ctx.today, { zone: 'UTC' })
    const current = periodOf(currentStart.toUTC().toISO()!, 'UTC', ctx.periodType)
    if (ctx.dataSet.openFuturePeriods <= 0) {
        const prevDay = DateTime.fromISO(periodRange(current).start, { zone: 'UTC' }).minus({ days: 1 })
        return periodOf(prevDay.toUTC().toISO()!, 'UTC', ctx.periodType)
    }
    let p = current
    for (let i = 1; i < ctx.dataSet.openFuturePeriods; i++) p = nextPeriod(p, ctx.periodType, ctx.zone)
    return p
}

export function periodProblems(period: string, ctx: PeriodContext): Bilingual[] {
    const problems: Bilingual[] = []
    const range = periodRange(period)
    const ds = ctx.dataSet.code ?? ctx.dataSet.id
    if (ctx.dataSet.periodType !== ctx.periodType) {
        problems.push({
            fr: `Le jeu de données ${ds} est de type ${ctx.dataSet.periodType} mais le pont agrège en ${ctx.periodType} : corrigez « periodType » dans la configuration`,
            en: `Data set ${ds} has period type ${ctx.dataSet.periodType} but the bridge aggregates ${ctx.periodType}: fix "periodType" in the configuration`,
        })
    }
    const expiry = ctx.dataSet.expiryDays
    if (expiry > 0) {
        const lockedAfter = DateTime.fromISO(range.end, { zone: 'UTC' }).plus({ days: expiry })
        if (DateTime.fromISO(ctx.today, { zone: 'UTC' }) > lockedAfter) {
            problems.push({
                fr: `Période ${period} verrouillée depuis le ${lockedAfter.toISODate()} (expiryDays = ${expiry} du jeu ${ds}) : DHIS2 la refusera sauf droit F_EDIT_EXPIRED ou exception de verrouillage`,
                en: `Period ${period} locked since ${lockedAfter.toISODate()} (expiryDays = ${expiry} on data set ${ds}): DHIS2 will refuse it unless the user has F_EDIT_EXPIRED or a lock exception`,
            })
        }
    }
    const latest = latestOpenPeriod(ctx)
    if (periodRange(latest).start < range.start) {
        problems.push({
            fr: `Période ${period} dans le futur : la dernière période ouverte du jeu ${ds} est ${latest} (openFuturePeriods = ${ctx.dataSet.openFuturePeriods})`,
            en: `Period ${period} is in the future: the latest open period of data set ${ds} is ${latest} (openFuturePeriods = ${ctx.dataSet.openFuturePeriods})`,
        })
    }
    const inputPeriods = ctx.dataSet.dataInputPeriods
    if (inputPeriods.length > 0) {
        // With input periods defined, a period is open only inside one of its own windows.
        const today = ctx.today
        const dip = inputPeriods.find((d) => (typeof d.period === 'string' ? d.period : d.period?.id) === period)
        const open = !!dip && (!dip.openingDate || dip.openingDate.slice(0, 10) <= today) && (!dip.closingDate || today <= dip.closingDate.slice(0, 10))
        if (!open) {
            problems.push({
                fr: `Période ${period} fermée à la saisie pour le jeu ${ds} (${dip ? `du ${dip.openingDate ?? '…'} au ${dip.closingDate ?? '…'}` : 'aucune fenêtre de saisie'})`,
                en: `Period ${period} is closed for data input on data set ${ds} (${dip ? `from ${dip.openingDate ?? '…'} to ${dip.closingDate ?? '…'}` : 'no input window'})`,
            })
        }
    }
    return problems
}
