/**
 * Where the bridge publishes for the app: one DHIS2 data store namespace, one key per facility and
 * kind of entry (docs/contract.md §3–4). Keys carry org unit UIDs only, never a name or a line.
 */
export const DATASTORE_NAMESPACE = 'payrev'

export const RUN_SUMMARY_KEY_PREFIX = 'facility-'
export const STOCK_RECONCILE_KEY_PREFIX = 'stock-reconcile-'

export const runSummaryKey = (orgUnit: string): string => `${RUN_SUMMARY_KEY_PREFIX}${orgUnit}`
export const stockReconcileKey = (orgUnit: string): string => `${STOCK_RECONCILE_KEY_PREFIX}${orgUnit}`

/** The Web API resource of the namespace (`dataStore/payrev`), or of one key in it. */
export const datastoreResource = (key?: string): string => (key === undefined ? `dataStore/${DATASTORE_NAMESPACE}` : `dataStore/${DATASTORE_NAMESPACE}/${key}`)
