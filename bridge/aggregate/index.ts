export { valueKeyId, parseValueKeyId, scopeId, parseScopeId, type ValueKey, type KeyedValue } from './keys'
export { periodOf, periodRange, periodOfDate, isoWeek } from './periods'
export { computeTotals, totalsOfLatest, lineScope, linePeriod, touchedScopes, type AggregationContext } from './totals'
