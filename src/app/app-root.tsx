import i18n from '@dhis2/d2-i18n'
import { Button, SegmentedControl, Tab, TabBar } from '@dhis2/ui'
import React, { useMemo, useState } from 'react'
import { ChannelsView } from '../channels/channels'
import { DEFAULT_PERIOD, parsePeriodId, resolvePeriod } from '../compute/periods'
import { FacilitiesView } from '../facilities/facilities'
import { FreshnessView } from '../freshness/freshness-view'
import { OverviewView } from '../overview/overview'
import { PharmacyView } from '../pharmacy/pharmacy'
import { ReconciliationView } from '../reconciliation/reconciliation-view'
import { AppContextProvider, useAppContext } from '../shared/app-context'
import { OrgUnitPicker } from '../shared/context-selection/org-unit-picker'
import { PeriodPicker } from '../shared/context-selection/period-picker'
import type { OrgUnitRef, PayrevMetadata } from '../shared/metadata/metadata'
import { useMetadata } from '../shared/metadata/use-metadata'
import { useEarlyOrgUnit, useOrgUnitLookup } from '../shared/metadata/use-org-unit'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import { parseHash, useHashLocation, type ViewId } from './hash-state'
import { useLanguageState, type Lang } from './language'
import styles from './app.module.css'
import contextStyles from '../shared/context-selection/context-bar.module.css'


function viewLabel(v: ViewId): string {
    switch (v) {
        case 'overview':
            return i18n.t('Overview')
        case 'facilities':
            return i18n.t('Facilities')
        case 'channels':
            return i18n.t('Payment channels')
        case 'reconciliation':
            return i18n.t('Reconciliation')
        case 'pharmacy':
            return i18n.t('Pharmacy and stock')
        case 'freshness':
            return i18n.t('Data freshness')
    }
}

const VIEW_ORDER: ViewId[] = ['overview', 'facilities', 'channels', 'reconciliation', 'pharmacy', 'freshness']

function LanguageSwitch({ lang, onChange }: { lang: Lang; onChange: (l: Lang) => void }) {
    return (
        <div className={styles.langSwitch} data-test="language-switch" role="group" aria-label={i18n.t('Language')}>
            <SegmentedControl
                options={[
                    { label: 'Français', value: 'fr' },
                    { label: 'English', value: 'en' },
                ]}
                selected={lang}
                onChange={({ value }) => onChange(value as Lang)}
            />
        </div>
    )
}

function Dashboard({ meta }: { meta: PayrevMetadata }) {
    const { now } = useAppContext()
    const [loc, navigate] = useHashLocation()
    const [picked, setPicked] = useState<Record<string, OrgUnitRef>>({})

    const known = useMemo(() => {
        const m = new Map<string, OrgUnitRef>()
        for (const u of [...meta.facilities, ...meta.roots, ...Object.values(picked)]) m.set(u.id, u)
        return m
    }, [meta, picked])
    const wanted = loc.ou ?? meta.roots[0]?.id ?? null
    const knownUnit = wanted ? (known.get(wanted) ?? null) : null
    const lookup = useOrgUnitLookup(wanted, knownUnit)
    const ou = knownUnit ?? lookup.unit

    const periodId = loc.pe && parsePeriodId(loc.pe) ? loc.pe : DEFAULT_PERIOD
    const range = resolvePeriod(periodId, now)!

    const selectUnit = (u: OrgUnitRef) => {
        setPicked((p) => ({ ...p, [u.id]: u }))
        navigate({ ou: u.id })
    }

    if (meta.roots.length === 0)
        return <EmptyState title={i18n.t('No organisation unit')} message={i18n.t('Your user has no organisation unit. Ask the administrator to assign one.')} />

    let body: React.ReactNode
    if (!ou) {
        body = lookup.error ? <ErrorState error={lookup.error} /> : <LoadingState />
    } else {
        const props = { meta, ou, periodId, range }
        switch (loc.view) {
            case 'overview':
                body = <OverviewView {...props} />
                break
            case 'facilities':
                body = <FacilitiesView {...props} onDrill={(f) => { setPicked((p) => ({ ...p, [f.id]: f })); navigate({ view: 'overview', ou: f.id }) }} />
                break
            case 'channels':
                body = <ChannelsView {...props} />
                break
            case 'reconciliation':
                body = <ReconciliationView {...props} />
                break
            case 'pharmacy':
                body = <PharmacyView {...props} />
                break
            case 'freshness':
                body = <FreshnessView {...props} />
                break
        }
    }

    return (
        <>
            <div className={contextStyles.bar} data-test="context-bar">
                {ou ? (
                    <OrgUnitPicker roots={meta.roots} isUserDataViewFallback={meta.rootsAreCaptureFallback} selected={ou} onSelect={selectUnit} />
                ) : null}
                <PeriodPicker periodId={periodId} onChange={(pe) => navigate({ pe })} />
            </div>
            <div className={styles.tabs}>
                <TabBar scrollable dataTest="view-tabs">
                    {VIEW_ORDER.map((v) => (
                        <Tab key={v} selected={loc.view === v} onClick={() => navigate({ view: v })} dataTest={`tab-${v}`}>
                            {viewLabel(v)}
                        </Tab>
                    ))}
                </TabBar>
            </div>
            <main className={styles.main}>{body}</main>
        </>
    )
}

function MetadataGate() {
    const [linked] = useState(() => parseHash(window.location.hash).ou)
    useEarlyOrgUnit(linked)
    const { loading, error, result, refetch } = useMetadata()
    if (error) return <div className={styles.main}><ErrorState error={error} onRetry={refetch} /></div>
    if (loading || !result) return <LoadingState />
    if (!result.ok)
        return (
            <div className={styles.main} data-test="metadata-missing">
                <EmptyState
                    title={i18n.t('Hospital revenue metadata not found')}
                    message={i18n.t(
                        'This DHIS2 server does not have (or does not let you read) the metadata of the hospital revenue bridge ({{codes}}). An administrator must run "revenue-bridge setup".',
                        { codes: result.missing.join(', ') }
                    )}
                />
            </div>
        )
    return <Dashboard meta={result.metadata} />
}

/** The app: language, formats, metadata, then the dashboard. `now` is injectable for tests. */
export function AppRoot({ now: nowProp }: { now?: Date }) {
    const { lang, locale, setLang } = useLanguageState()
    const [now] = useState(() => nowProp ?? new Date())
    return (
        <AppContextProvider lang={lang} locale={locale} now={now}>
            <div className={styles.app} lang={lang} data-test="app-root" data-lang={lang}>
                <header className={styles.header}>
                    <div className={styles.titles}>
                        <h1 className={styles.title}>{i18n.t('Hospital revenue')}</h1>
                        <span className={styles.subtitle}>{i18n.t('Payments and revenue by facility, in FCFA')}</span>
                    </div>
                    <div className={styles.actions}>
                        <LanguageSwitch lang={lang} onChange={setLang} />
                        <Button small onClick={() => window.print()} dataTest="print-button">
                            {i18n.t('Print')}
                        </Button>
                    </div>
                </header>
                <MetadataGate />
            </div>
        </AppContextProvider>
    )
}
