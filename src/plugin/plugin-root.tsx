import i18n from '@dhis2/d2-i18n'
import React, { useCallback, useEffect, useMemo, useState } from 'react'
import { classifyError } from '../analytics/errors'
import { channelSeriesRequest } from '../analytics/requests'
import { applyLanguage, languageFor } from '../app/language'
import { overviewFigures, type KpiKey } from '../compute/kpis'
import { resolvePeriod } from '../compute/periods'
import { countStates, worstState } from '../freshness/freshness'
import { StateTag, summaryText, useFreshness } from '../freshness/use-freshness'
import { KpiCard } from '../overview/kpi-card'
import { AppContextProvider, useAppContext } from '../shared/app-context'
import { periodLabel } from '../shared/labels'
import { toOrgUnitRef, type OrgUnitRef, type PayrevMetadata } from '../shared/metadata/metadata'
import { useMetadata } from '../shared/metadata/use-metadata'
import { useOrgUnitLookup } from '../shared/metadata/use-org-unit'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import { useAnalytics } from '../shared/use-analytics'
import { appUrlFor, selectionFromFilters, type ItemSelection } from './dashboard-filters'
import styles from './plugin.module.css'

/** The props the Dashboard app passes to a plugin item (all optional: the plugin also opens alone). */
export interface DashboardPluginProps {
    dashboardItemId?: string
    dashboardItemFilters?: unknown
    dashboardMode?: string
    setDashboardItemDetails?: (details: { itemTitle?: string; appUrl?: string }) => unknown
}

/** The overview's headline cards; the change vs the same period last year is on each. */
const PLUGIN_KPIS: readonly KpiKey[] = ['gross', 'net', 'digitalShareValue']

function Cards({ meta, ou, periodId }: { meta: PayrevMetadata; ou: OrgUnitRef; periodId: string }) {
    const { now } = useAppContext()
    const range = resolvePeriod(periodId, now)!
    const { loading, error, results, refetch } = useAnalytics({ channels: channelSeriesRequest(meta, ou.id, range) }, meta)
    if (error) return <ErrorState error={error} onRetry={refetch} />
    if (loading || !results) return <LoadingState />
    const figures = overviewFigures(results.channels.facts, range)
    if (!figures.hasData) return <EmptyState />
    return (
        <div className={styles.kpis}>
            {figures.kpis
                .filter((k) => PLUGIN_KPIS.includes(k.key))
                .map((k) => (
                    <KpiCard key={k.key} kpi={k} previousLabel="" ytdLabel="" compact />
                ))}
        </div>
    )
}

function Freshness({ meta, ou }: { meta: PayrevMetadata; ou: OrgUnitRef }) {
    const { loading, error, rows, refetch } = useFreshness(meta, ou)
    // The bridge never ran (404 namespace): said in one line; another failure as the app shows it.
    if (error && classifyError(error).kind === 'not-found')
        return <p className={styles.freshness} data-test="plugin-freshness">{i18n.t('The bridge has not run yet')}</p>
    if (error) return <ErrorState error={error} onRetry={refetch} />
    if (loading || !rows) return null
    const worst = worstState(rows)
    return (
        <div className={styles.freshness} data-test="plugin-freshness">
            {worst ? <StateTag state={worst} dataTest="plugin-freshness-state" /> : null}
            <span data-test="plugin-freshness-summary">{summaryText(countStates(rows))}</span>
        </div>
    )
}

function Item({ meta, selection, onAppUrl }: { meta: PayrevMetadata; selection: ItemSelection; onAppUrl: (url: string) => void }) {
    const { fmt } = useAppContext()
    const wanted = selection.ou.kind === 'unit' ? selection.ou : null
    const known = useMemo(() => {
        if (!wanted) return meta.roots[0] ?? null
        const listed = [...meta.facilities, ...meta.roots].find((u) => u.id === wanted.id)
        // The Dashboard app gives the picked unit's name and path: no request needed.
        return listed ?? (wanted.name && wanted.path ? toOrgUnitRef({ id: wanted.id, displayName: wanted.name, path: wanted.path }) : null)
    }, [meta, wanted])
    const lookup = useOrgUnitLookup(wanted?.id ?? null, known)
    const ou = known ?? lookup.unit
    const appUrl = ou ? appUrlFor(window.location.href, ou.id, selection.periodId) : null
    useEffect(() => {
        if (appUrl) onAppUrl(appUrl)
    }, [appUrl, onAppUrl])

    if (meta.roots.length === 0) return <EmptyState title={i18n.t('No organisation unit')} message={i18n.t('Your user has no organisation unit. Ask the administrator to assign one.')} />
    if (!ou) return lookup.error ? <ErrorState error={lookup.error} /> : <LoadingState />
    return (
        <>
            <div className={styles.head}>
                <h2 className={styles.title} data-test="plugin-context">{`${ou.name} · ${periodLabel(selection.periodId, fmt)}`}</h2>
                <a className={styles.link} href={appUrl!} target="_blank" rel="noopener noreferrer" data-test="plugin-open-app">
                    {i18n.t('Open in the app')}
                </a>
            </div>
            {selection.ignored.length > 0 ? (
                <p className={styles.note} data-test="plugin-ignored">
                    {i18n.t('Filters not applied to this item ({{items}})', { items: selection.ignored.join(', ') })}
                </p>
            ) : null}
            <Cards meta={meta} ou={ou} periodId={selection.periodId} />
            <Freshness meta={meta} ou={ou} />
        </>
    )
}

/**
 * The dashboard item: the overview's headline cards and the freshness of the facilities for the
 * dashboard's org unit and period filters, in the user's DHIS2 language (the app's in-session
 * switch does not apply to a dashboard). docs/dashboard-plugin.md.
 */
export function PluginRoot({ dashboardItemFilters, dashboardMode, setDashboardItemDetails, now: nowProp }: DashboardPluginProps & { now?: Date }) {
    const lang = languageFor(i18n.language)
    // `now` is injectable for tests, as in the app.
    const [now] = useState(() => nowProp ?? new Date())
    // Before the first render's i18n.t calls, as the app does.
    useMemo(() => applyLanguage(lang), [lang])
    const selection = useMemo(() => selectionFromFilters(dashboardItemFilters), [dashboardItemFilters])
    const { loading, error, result, refetch } = useMetadata()
    // The Dashboard app's "open in app" menu goes where the link goes. A call across the iframe
    // may fail (an older Dashboard app): the link in the item still works.
    const onAppUrl = useCallback(
        (appUrl: string) => {
            Promise.resolve()
                .then(() => setDashboardItemDetails?.({ itemTitle: i18n.t('Hospital revenue'), appUrl }))
                .catch(() => undefined)
        },
        [setDashboardItemDetails]
    )

    let body: React.ReactNode
    if (error) body = <ErrorState error={error} onRetry={refetch} />
    else if (loading || !result) body = <LoadingState />
    else if (!result.ok) body = <EmptyState title={i18n.t('Hospital revenue metadata not found')} message={result.missing.join(', ')} />
    else body = <Item meta={result.metadata} selection={selection} onAppUrl={onAppUrl} />

    return (
        <AppContextProvider lang={lang} locale={i18n.language || lang} now={now}>
            <main className={styles.plugin} lang={lang} data-test="plugin-root" data-lang={lang} data-mode={dashboardMode ?? 'view'}>
                {body}
            </main>
        </AppContextProvider>
    )
}
