import { z } from 'zod'
import { RECON_DATA_ELEMENTS, RECON_DATASET, type ReconDataElement, type StatementChannel } from '../../contract/reconciliation'
import type { Dhis2Client } from '../dhis2/client'
import { findDataSet, listByFilter, type LiveDataSet } from '../dhis2/metadata'

/**
 * The reconciliation data set as this server holds it (docs/contract.md §7): data element UIDs
 * and the category option combos the server generated — by channel option code for
 * PAYREV_CC_CHANNEL, the only combo of the default one for cash — read back, never guessed.
 */
export interface ReconTarget {
    dataElement: string
    categoryOptionCombo: string
    codes: { dataElement: string; coc: string }
}

export interface ReconMetadata {
    dataSet: LiveDataSet
    resolve(de: ReconDataElement, channel: StatementChannel | null): ReconTarget | null
    missing: string[]
}

const ref = z.object({ id: z.string() })
const deSchema = z.object({ id: z.string(), code: z.string().optional(), categoryCombo: ref })
const cocSchema = z.object({ id: z.string(), code: z.string().optional(), name: z.string().optional(), categoryCombo: ref, categoryOptions: z.array(z.object({ id: z.string(), code: z.string().optional() })).default([]) })

export async function loadReconMetadata(client: Dhis2Client, channelOption: (c: StatementChannel) => string): Promise<ReconMetadata | { missing: string[] }> {
    const dataSet = await findDataSet(client, RECON_DATASET)
    if (!dataSet) return { missing: [`dataSet ${RECON_DATASET}`] }
    const des = await listByFilter(client, 'dataElements', 'code', [...RECON_DATA_ELEMENTS], 'id,code,categoryCombo[id]', deSchema)
    const byCode = new Map(des.map((d) => [d.code!, d]))
    const missing = RECON_DATA_ELEMENTS.filter((c) => !byCode.has(c)).map((c) => `dataElement ${c}`)
    const comboOf = (d: z.infer<typeof deSchema>) => dataSet.dataSetElements.find((e) => e.dataElement.id === d.id)?.categoryCombo?.id ?? d.categoryCombo.id
    const cocs = await listByFilter(client, 'categoryOptionCombos', 'categoryCombo.id', [...new Set(des.map(comboOf))], 'id,code,name,categoryCombo[id],categoryOptions[id,code]', cocSchema)
    return {
        dataSet,
        missing,
        resolve(code, channel) {
            const de = byCode.get(code)
            if (!de) return null
            const options = cocs.filter((c) => c.categoryCombo.id === comboOf(de))
            const coc = channel === null ? (options.length === 1 ? options[0] : undefined) : options.find((c) => c.categoryOptions.length === 1 && c.categoryOptions[0].code === channelOption(channel))
            return coc ? { dataElement: de.id, categoryOptionCombo: coc.id, codes: { dataElement: code, coc: coc.code ?? coc.name ?? coc.id } } : null
        },
    }
}
