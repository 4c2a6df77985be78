import { useCallback, useMemo } from 'react'
import { useDhis2Queries, useDhis2Query } from '../shared/data/use-dhis2-query'
import type { PayrevMetadata } from '../shared/metadata/metadata'
import { parseReconDataElements, parseReconDataSet, parseReconGrid, reconKeys, reconMetadataOf, type ReconMetadata } from './recon-queries'
import type { ReconFact } from './reconciliation'

/** The reconciliation metadata: two requests (data elements, data set), parsed in `select`. */
export function useReconMetadata() {
    const des = useDhis2Query(reconKeys.dataElements(), parseReconDataElements)
    const ds = useDhis2Query(reconKeys.dataSet(), parseReconDataSet)
    // One object per answer pair: the view's memos and the analytics `select` depend on it.
    const data = useMemo(() => (des.data && ds.data !== undefined ? reconMetadataOf(des.data, ds.data) : undefined), [des.data, ds.data])
    return {
        error: des.error ?? ds.error,
        data,
        refetch: () => {
            des.refetch()
            ds.refetch()
        },
    }
}

/** The figures of one selection: both analytics answers as facts (null recon or no unit = nothing asked). */
export function useReconAnalytics(meta: PayrevMetadata, recon: ReconMetadata | null, ouItems: readonly string[], months: readonly string[]) {
    const select = useCallback((raw: unknown) => parseReconGrid(raw, meta, recon!), [meta, recon])
    const q = useDhis2Queries(recon && ouItems.length > 0 ? reconKeys.analytics(meta, recon, ouItems, months) : null, select)
    const data: ReconFact[] | undefined = q.data ? [...q.data.byChannel, ...q.data.cash] : undefined
    return { error: q.error, data, refetch: q.refetch }
}
