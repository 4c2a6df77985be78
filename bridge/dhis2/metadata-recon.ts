import { RECON_DATASET, RECON_DE_BY_CHANNEL, RECON_DE_CASH, RECON_LABELS, type ReconDataElement } from '../../contract/reconciliation'
import type { MetadataType, PackageObject } from './package-object'

/**
 * The reconciliation part of the metadata package (docs/contract.md §7): data elements
 * PAYREV_RECON_* and PAYREV_FEES by channel (PAYREV_CC_CHANNEL), PAYREV_CASH_SHORT/OVER on the
 * default combo, and the monthly data set PAYREV_RECON_MONTHLY — French names, English
 * translations, installed and checked by `setup` with the rest of the package (same rules as §3).
 */
const translated = (code: ReconDataElement | typeof RECON_DATASET) => {
    const l = RECON_LABELS[code]
    return {
        code,
        name: l.fr.name,
        shortName: l.fr.shortName.slice(0, 50),
        translations: [
            { property: 'NAME', locale: 'en', value: l.en.name },
            { property: 'SHORT_NAME', locale: 'en', value: l.en.shortName.slice(0, 50) },
        ],
    }
}

export function reconPackage(input: {
    idFor(type: MetadataType, code: string): string
    channelComboId: string
    defaultCategoryComboId: string
    orgUnitIds: string[]
}): { dataElements: PackageObject[]; dataSet: PackageObject } {
    const dataElement = (code: ReconDataElement, comboId: string): PackageObject => ({
        id: input.idFor('dataElements', code),
        ...translated(code),
        formName: RECON_LABELS[code].fr.name,
        domainType: 'AGGREGATE',
        // Fees may be negative in a month where an acquirer gives commissions back on refunds.
        valueType: code === 'PAYREV_FEES' ? 'INTEGER' : 'INTEGER_ZERO_OR_POSITIVE',
        aggregationType: 'SUM',
        zeroIsSignificant: true,
        categoryCombo: { id: comboId },
    })
    const dataElements = [...RECON_DE_BY_CHANNEL.map((c) => dataElement(c, input.channelComboId)), ...RECON_DE_CASH.map((c) => dataElement(c, input.defaultCategoryComboId))]
    const dsId = input.idFor('dataSets', RECON_DATASET)
    const dataSet: PackageObject = {
        id: dsId,
        ...translated(RECON_DATASET),
        // Reconciliation is monthly whatever the revenue data set's period type.
        periodType: 'Monthly',
        openFuturePeriods: 1,
        expiryDays: 0,
        timelyDays: 15,
        categoryCombo: { id: input.defaultCategoryComboId },
        dataSetElements: dataElements.map((de) => ({ dataElement: { id: de.id }, dataSet: { id: dsId } })),
        organisationUnits: [...new Set(input.orgUnitIds)].sort().map((id) => ({ id })),
    }
    return { dataElements, dataSet }
}
