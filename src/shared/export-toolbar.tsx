import i18n from '@dhis2/d2-i18n'
import { Button, DataTableToolbar, IconDownload16 } from '@dhis2/ui'
import React from 'react'

/** The toolbar above a ranked table: how many rows, and the CSV export (league table, reconciliation). */
export function ExportToolbar({ className, countClassName, count, onExport, dataTest }: {
    className?: string
    countClassName?: string
    /** Already translated: "12 facilities". */
    count: string
    onExport: () => void
    /** Prefix of the test ids: `<prefix>-count`, `<prefix>-export-csv`. */
    dataTest: string
}) {
    return (
        <DataTableToolbar className={className}>
            <span className={countClassName} data-test={`${dataTest}-count`}>
                {count}
            </span>
            <Button small icon={<IconDownload16 />} onClick={onExport} dataTest={`${dataTest}-export-csv`}>
                {i18n.t('Export CSV')}
            </Button>
        </DataTableToolbar>
    )
}
