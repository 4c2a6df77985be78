import i18n from '@dhis2/d2-i18n'
import {
    Card,
    DataTable,
    DataTableBody,
    DataTableCell,
    DataTableColumnHeader,
    DataTableHead,
    DataTableRow,
    NoticeBox,
    Tag,
} from '@dhis2/ui'
import React, { useCallback, useMemo } from 'react'
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { classifyError } from '../analytics/errors'
import { UnexpectedResponseError } from '../analytics/parse'
import { isoMonth, lastMonths, monthsOf, rangeLength } from '../compute/periods'
import { useAppContext } from '../shared/app-context'
import { SERVICE_COLORS } from '../shared/charts'
import chartStyles from '../shared/charts.module.css'
import { periodLabel } from '../shared/labels'
import { EmptyState, ErrorState, LoadingState } from '../shared/states'
import { keys } from '../shared/data/keys'
import { useDhis2Query } from '../shared/data/use-dhis2-query'
import { useAnalytics } from '../shared/use-analytics'
import { PRINT_CHART_WIDTH, usePrintMode } from '../shared/use-print-mode'
import type { ViewProps } from '../shared/view-props'
import {
    drugRevenueByMonth,
    drugRevenueRequest,
    lmisOperands,
    lmisRequest,
    parseLmisAnalytics,
    parseReconcileEntries,
    pharmacyFigures,
    reconcileEntriesKey,
    reconcileOrgUnits,
    RECONCILE_FLAGS,
    type ReconcileFlag,
} from './pharmacy-data'
import { ScrollRegion } from '../shared/scroll-region'
import { LineageButton } from '../lineage/lineage-panel'
import { ViewHeading } from '../shared/view-heading'
import styles from './pharmacy.module.css'

export function flagLabel(f: ReconcileFlag): string {
    switch (f) {
        case 'SALE_DURING_STOCKOUT':
            return i18n.t('Sold during a stock-out')
        case 'SALES_EXCEED_AVAILABLE':
            return i18n.t('Sold more than opening balance + received')
        case 'SALES_DISPENSED_GAP':
            return i18n.t('Gap between sales and quantity dispensed')
        case 'UNMAPPED_PRODUCT':
            return i18n.t('No LMIS mapping')
    }
}

function flagHelp(f: ReconcileFlag): string {
    switch (f) {
        case 'SALE_DURING_STOCKOUT':
            return i18n.t('Check stock data entered late, a receipt not recorded, or stock kept outside the pharmacy books.')
        case 'SALES_EXCEED_AVAILABLE':
            return i18n.t('Check for a receipt not recorded, sales from another store, or a wrong unit conversion.')
        case 'SALES_DISPENSED_GAP':
            return i18n.t('Free care and ward issues are not in the cash ledger, so dispensed is usually a little above sold; sold above dispensed suggests a report not up to date.')
        case 'UNMAPPED_PRODUCT':
            return i18n.t('Add the product to stock.products in the bridge configuration.')
    }
}

const flagTestId = (f: ReconcileFlag) => f.toLowerCase().replace(/_/g, '-')

/** No namespace yet (404): the bridge never published; the view shows sales only. */
const NO_ENTRIES: ReturnType<typeof parseReconcileEntries> = { entries: [], invalidKeys: [] }

const selectNames = (raw: unknown) => {
    const names = new Map<string, string>()
    for (const d of (raw as { dataElements?: Array<{ id: string; displayName?: string }> } | undefined)?.dataElements ?? []) if (d.displayName) names.set(d.id, d.displayName)
    return names
}

function DrugRevenueChart({ data, selected, title }: { data: Array<{ pe: string; value: number }>; selected: Set<string>; title: string }) {
    const { fmt } = useAppContext()
    const printing = usePrintMode()
    const rows = data.map((p) => ({ ...p, label: fmt.month(p.pe) }))
    return (
        <figure className={chartStyles.figure} data-test="pharmacy-revenue-chart">
            <figcaption className={chartStyles.caption}>{title}</figcaption>
            <div className={chartStyles.chart} role="img" aria-label={title}>
                <ResponsiveContainer width={printing ? PRINT_CHART_WIDTH : '100%'} height="100%">
                    <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={8} />
                        <YAxis tickFormatter={(v: number) => fmt.compact(v)} tick={{ fontSize: 11 }} width={52} />
                        <Tooltip formatter={(v) => fmt.money(Number(v))} />
                        <Bar dataKey="value" name={i18n.t('Drug revenue')} isAnimationActive={false} fill={SERVICE_COLORS.PHARMACY}>
                            {/* the selected months in full colour, the context lighter */}
                            {rows.map((r) => (
                                <Cell key={r.pe} fill={SERVICE_COLORS.PHARMACY} fillOpacity={selected.has(r.pe) ? 1 : 0.35} />
                            ))}
                        </Bar>
                    </BarChart>
                </ResponsiveContainer>
            </div>
        </figure>
    )
}


function Kpi({ label, value, help, dataTest }: { label: string; value: string; help: string; dataTest: string }) {
    return (
        <Card className={styles.card} dataTest={dataTest}>
            <div className={styles.cardBody}>
                <h3 className={styles.kpiLabel}>{label}</h3>
                <div className={styles.kpiValue} data-test={`${dataTest}-value`}>
                    {value}
                </div>
                <div className={styles.kpiHelp}>{help}</div>
            </div>
        </Card>
    )
}

/**
 * Pharmacie et stock: drug revenue by month (analytics), and per product what the ledger sold
 * against what the LMIS data set says was dispensed, the stock on hand and the stock-out days,
 * with the bridge's reconciliation flags (data store `payrev/stock-reconcile-<orgUnit>`).
 */
export function PharmacyView({ meta, ou, periodId, range }: ViewProps) {
    const { fmt } = useAppContext()
    const orgUnits = useMemo(() => reconcileOrgUnits(meta, ou), [meta, ou])

    const window = lastMonths(range.end, Math.max(12, rangeLength(range)))
    const revenue = useAnalytics({ revenue: drugRevenueRequest(meta, ou.id, window) }, meta)

    const selectEntries = useCallback(
        (raw: unknown) => {
            try {
                return parseReconcileEntries(raw, orgUnits)
            } catch (e) {
                throw new UnexpectedResponseError(`data store: ${(e as Error).message}`)
            }
        },
        [orgUnits]
    )
    const store = useDhis2Query(reconcileEntriesKey(orgUnits), selectEntries)
    const storeMissing = !!store.error && classifyError(store.error).kind === 'not-found'
    const parsed = storeMissing ? NO_ENTRIES : store.data

    const operands = useMemo(() => (parsed ? lmisOperands(parsed.entries) : new Map()), [parsed])
    const lmisParams = lmisRequest(operands, ou.id, range)
    const ids = [...new Set([...operands.values()].flatMap((v) => Object.values(v).map((o) => (o as { dataElement: string }).dataElement)))].sort()
    const selectLmis = useCallback((raw: unknown) => parseLmisAnalytics(raw, operands), [operands])
    const lmisFigures = useDhis2Query(lmisParams ? keys.analytics(lmisParams) : null, selectLmis)
    const lmisNames = useDhis2Query(lmisParams ? keys.dataElementNames(ids) : null, selectNames)

    const heading = (
        <ViewHeading title={i18n.t('Pharmacy and stock')} context={`${ou.name} · ${periodLabel(periodId, fmt)}`}>
            <LineageButton orgUnit={ou} range={range} family="lmis" small />
        </ViewHeading>
    )
    const wrap = (body: React.ReactNode) => (
        <section data-test="pharmacy-view">
            {heading}
            {body}
        </section>
    )
    const retry = () => [revenue, store, lmisFigures, lmisNames].forEach((q) => q.refetch())

    const error = revenue.error ?? (storeMissing ? null : store.error) ?? lmisFigures.error ?? lmisNames.error
    if (error) return wrap(<ErrorState error={error} onRetry={retry} />)
    if (revenue.loading || !revenue.results || store.loading || !parsed || lmisFigures.loading || lmisNames.loading) return wrap(<LoadingState />)

    const selectedMonths = new Set(monthsOf(range).map(isoMonth))
    const byMonth = drugRevenueByMonth(revenue.results.revenue.facts, window)
    const drugRevenue = byMonth.filter((m) => selectedMonths.has(m.pe)).reduce((a, m) => a + m.value, 0)
    const figures = pharmacyFigures(parsed.entries, operands, lmisFigures.data ?? null, range)
    const hasRevenue = byMonth.some((m) => selectedMonths.has(m.pe) && m.value !== 0)
    if (!hasRevenue && figures.products.length === 0) return wrap(<EmptyState />)

    const facilityName = (id: string, code: string) => meta.facilities.find((f) => f.id === id)?.name ?? (id === ou.id ? ou.name : code)
    const productName = (p: { product: string; dataElement: string | null }) => (p.dataElement ? (lmisNames.data?.get(p.dataElement) ?? p.product) : p.product)
    const productOf = new Map(figures.products.map((p) => [p.product, p]))
    const stockOutTotal = figures.products.reduce((a, p) => a + (p.stockOutDays ?? 0), 0)
    const anyLmis = figures.products.some((p) => p.dispensed !== null || p.stockOnHand !== null || p.stockOutDays !== null)
    const isFacility = meta.facilities.some((f) => f.id === ou.id)
    const dash = (n: number | null, unit?: string | null) => (n === null ? '—' : `${fmt.count(n)}${unit ? ` ${unit}` : ''}`)

    return wrap(
        <>
            <div className={styles.kpis}>
                <Kpi
                    label={i18n.t('Drug revenue')}
                    value={fmt.money(drugRevenue)}
                    help={i18n.t('Gross revenue of the pharmacy service (DHIS2)')}
                    dataTest="pharmacy-kpi-revenue"
                />
                <Kpi
                    label={i18n.t('Flagged product-months')}
                    value={fmt.count(figures.flagged.length)}
                    help={i18n.t('Facility × product × month with a reconciliation flag')}
                    dataTest="pharmacy-kpi-flagged"
                />
                <Kpi
                    label={i18n.t('Stock-out days')}
                    value={anyLmis ? fmt.count(stockOutTotal) : '—'}
                    help={isFacility ? i18n.t('All products, from the LMIS report') : i18n.t('All products and facilities, from the LMIS report')}
                    dataTest="pharmacy-kpi-stockout"
                />
            </div>

            {parsed.entries.length === 0 || figures.monthsCovered.length === 0 ? (
                <div className={styles.notice} data-test="pharmacy-no-reconciliation">
                    <NoticeBox title={i18n.t('No reconciliation for this period')}>
                        {i18n.t(
                            'The bridge has not published a sales / stock reconciliation for these months. It does so at each sync, and with "revenue-bridge stock reconcile".'
                        )}
                    </NoticeBox>
                </div>
            ) : null}
            {parsed.invalidKeys.length > 0 ? (
                <div className={styles.notice} data-test="pharmacy-invalid-entries">
                    <NoticeBox warning title={i18n.t('Unreadable reconciliation entries')}>
                        {i18n.t('These data store entries could not be read ({{keys}}).', { keys: parsed.invalidKeys.join(', ') })}
                    </NoticeBox>
                </div>
            ) : null}
            {figures.monthsCovered.length > 0 && !figures.lmisReadEverywhere ? (
                <div className={styles.notice} data-test="pharmacy-lmis-not-read">
                    <NoticeBox warning title={i18n.t('LMIS not read for some months')}>
                        {i18n.t('For some months the bridge could not read the LMIS data set, so their flags only look at sales.')}
                    </NoticeBox>
                </div>
            ) : null}

            <div className={styles.charts}>
                <DrugRevenueChart data={byMonth} selected={selectedMonths} title={i18n.t('Drug revenue by month')} />
            </div>

            {figures.products.length > 0 ? (
                <>
                    <h3 className={styles.subheading}>{i18n.t('Products — sales against the LMIS report')}</h3>
                    <ScrollRegion className={styles.tableWrap} label={i18n.t('Products — sales against the LMIS report')}>
                        <DataTable dataTest="pharmacy-products" layout="auto">
                            <DataTableHead>
                                <DataTableRow>
                                    <DataTableColumnHeader>{i18n.t('Product')}</DataTableColumnHeader>
                                    <DataTableColumnHeader align="right">{i18n.t('Sales (FCFA)')}</DataTableColumnHeader>
                                    <DataTableColumnHeader align="right">{i18n.t('Quantity sold')}</DataTableColumnHeader>
                                    <DataTableColumnHeader align="right">{i18n.t('Quantity dispensed (LMIS)')}</DataTableColumnHeader>
                                    <DataTableColumnHeader align="right">{i18n.t('Gap')}</DataTableColumnHeader>
                                    <DataTableColumnHeader align="right">{i18n.t('Stock on hand')}</DataTableColumnHeader>
                                    <DataTableColumnHeader align="right">{i18n.t('Stock-out days')}</DataTableColumnHeader>
                                    <DataTableColumnHeader>{i18n.t('Flags')}</DataTableColumnHeader>
                                </DataTableRow>
                            </DataTableHead>
                            <DataTableBody>
                                {figures.products.map((p) => {
                                    const id = p.product
                                    return (
                                        <DataTableRow key={id} dataTest={`pharmacy-product-${id}`}>
                                            <DataTableCell>
                                                <span className={styles.productName}>{productName(p)}</span>
                                                {productName(p) !== p.product ? <span className={styles.productCode}>{p.product}</span> : null}
                                            </DataTableCell>
                                            <DataTableCell align="right" dataTest={`pharmacy-${id}-amount`}>
                                                {fmt.money(p.amountXof)}
                                            </DataTableCell>
                                            <DataTableCell align="right" dataTest={`pharmacy-${id}-sold`}>
                                                {dash(p.sold, p.lmisUnit)}
                                            </DataTableCell>
                                            <DataTableCell align="right" dataTest={`pharmacy-${id}-dispensed`}>
                                                {dash(p.dispensed)}
                                            </DataTableCell>
                                            <DataTableCell align="right" dataTest={`pharmacy-${id}-gap`}>
                                                {p.gap === null ? '—' : fmt.percent(p.gap)}
                                            </DataTableCell>
                                            <DataTableCell align="right" dataTest={`pharmacy-${id}-stock`}>
                                                {dash(p.stockOnHand)}
                                                {p.stockOnHandMonth && !(rangeLength(range) === 1) ? (
                                                    <span className={styles.asOf}>{fmt.month(p.stockOnHandMonth)}</span>
                                                ) : null}
                                            </DataTableCell>
                                            <DataTableCell align="right" dataTest={`pharmacy-${id}-stockout`}>
                                                {dash(p.stockOutDays)}
                                            </DataTableCell>
                                            <DataTableCell dataTest={`pharmacy-${id}-flags`}>
                                                <span className={styles.tags}>
                                                    {RECONCILE_FLAGS.filter((f) => p.flags[f]).map((f) => (
                                                        <Tag key={f} negative={f !== 'UNMAPPED_PRODUCT'} neutral={f === 'UNMAPPED_PRODUCT'} maxWidth="none" dataTest={`flag-${flagTestId(f)}`}>
                                                            {f === 'UNMAPPED_PRODUCT' || p.flags[f] === 1 ? flagLabel(f) : `${flagLabel(f)} × ${fmt.count(p.flags[f]!)}`}
                                                        </Tag>
                                                    ))}
                                                </span>
                                            </DataTableCell>
                                        </DataTableRow>
                                    )
                                })}
                            </DataTableBody>
                        </DataTable>
                    </ScrollRegion>
                    <p className={styles.note}>
                        {i18n.t(
                            'Quantities in the LMIS unit of each product. Sales come from the cash ledger through the bridge; dispensed, stock on hand and stock-out days from the LMIS data set.'
                        )}
                    </p>
                </>
            ) : null}

            {figures.unmapped.length > 0 ? (
                <div className={styles.notice} data-test="pharmacy-unmapped">
                    <NoticeBox title={i18n.t('Products without LMIS mapping')}>
                        {i18n.t('{{codes}} — sold and sent to MEDEXIS, but not compared with the LMIS. {{help}}', {
                            codes: figures.unmapped.join(', '),
                            help: flagHelp('UNMAPPED_PRODUCT'),
                        })}
                    </NoticeBox>
                </div>
            ) : null}

            {figures.monthsCovered.length > 0 ? (
                <>
                    <h3 className={styles.subheading}>{i18n.t('Reconciliation flags')}</h3>
                    {figures.flagged.length === 0 ? (
                        <p className={styles.note} data-test="pharmacy-no-flags">
                            {i18n.t('No flag — sales agree with the LMIS report for this period.')}
                        </p>
                    ) : (
                        <ScrollRegion className={styles.tableWrap} label={i18n.t('Reconciliation flags')}>
                            <DataTable dataTest="pharmacy-flags" layout="auto">
                                <DataTableHead>
                                    <DataTableRow>
                                        <DataTableColumnHeader>{i18n.t('Month')}</DataTableColumnHeader>
                                        <DataTableColumnHeader>{i18n.t('Facility')}</DataTableColumnHeader>
                                        <DataTableColumnHeader>{i18n.t('Product')}</DataTableColumnHeader>
                                        <DataTableColumnHeader>{i18n.t('Flag')}</DataTableColumnHeader>
                                        <DataTableColumnHeader align="right">{i18n.t('Quantity sold')}</DataTableColumnHeader>
                                        <DataTableColumnHeader align="right">{i18n.t('Quantity dispensed (LMIS)')}</DataTableColumnHeader>
                                        <DataTableColumnHeader align="right">{i18n.t('Opening balance + received')}</DataTableColumnHeader>
                                        <DataTableColumnHeader align="right">{i18n.t('Stock-out days')}</DataTableColumnHeader>
                                    </DataTableRow>
                                </DataTableHead>
                                <DataTableBody>
                                    {figures.flagged.map((f) => {
                                        const id = `${f.facility}-${f.product}-${f.month}`
                                        const p = productOf.get(f.product)
                                        return (
                                            <DataTableRow key={id} dataTest={`pharmacy-flag-${id}`}>
                                                <DataTableCell>{fmt.month(f.month.replace('-', ''))}</DataTableCell>
                                                <DataTableCell>{facilityName(f.orgUnit, f.facility)}</DataTableCell>
                                                <DataTableCell>{p ? productName(p) : f.product}</DataTableCell>
                                                <DataTableCell>
                                                    <span className={styles.tags}>
                                                        {f.flags.map((x) => (
                                                            <span key={x} title={flagHelp(x)}>
                                                                <Tag negative maxWidth="none" dataTest={`flag-${flagTestId(x)}`}>
                                                                    {flagLabel(x)}
                                                                </Tag>
                                                            </span>
                                                        ))}
                                                    </span>
                                                </DataTableCell>
                                                <DataTableCell align="right">{dash(f.sold)}</DataTableCell>
                                                <DataTableCell align="right">{dash(f.dispensed)}</DataTableCell>
                                                <DataTableCell align="right">{dash(f.available)}</DataTableCell>
                                                <DataTableCell align="right">{dash(f.stockOutDays)}</DataTableCell>
                                            </DataTableRow>
                                        )
                                    })}
                                </DataTableBody>
                            </DataTable>
                        </ScrollRegion>
                    )}
                    <ul className={styles.legend}>
                        {RECONCILE_FLAGS.filter((f) => f !== 'UNMAPPED_PRODUCT').map((f) => (
                            <li key={f}>
                                <strong>{flagLabel(f)}</strong> — {flagHelp(f)}
                            </li>
                        ))}
                    </ul>
                </>
            ) : null}
        </>
    )
}
