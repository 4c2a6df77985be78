import type { MonthRange } from '../compute/periods'
import type { OrgUnitRef, PayrevMetadata } from './metadata/metadata'

/** What the app hands every view: resolved metadata and the context selection. */
export interface ViewProps {
    meta: PayrevMetadata
    ou: OrgUnitRef
    periodId: string
    range: MonthRange
}
