import { useDataEngine } from '@dhis2/app-runtime'
import { useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { PayrevMetadata } from '../shared/metadata/metadata'
import { parseReconAnalytics, parseReconMetadata, RECON_METADATA_QUERY, reconAnalyticsQuery, reconKeys, type ReconMetadata } from './recon-queries'

/**
 * Data of the « Rapprochement » view: react-query over the app-runtime data engine (one fetch per
 * query, keys from `reconKeys`, parsing in `select`).
 */
export function useReconMetadata() {
    const engine = useDataEngine()
    return useQuery({
        queryKey: reconKeys.metadata(),
        queryFn: ({ signal }) => engine.query(RECON_METADATA_QUERY, { signal }),
        select: parseReconMetadata,
        // Metadata changes only when `setup` runs again.
        staleTime: Infinity,
    })
}

export function useReconAnalytics(meta: PayrevMetadata, recon: ReconMetadata | null, ouItems: readonly string[], months: readonly string[]) {
    const engine = useDataEngine()
    const select = useCallback((raw: unknown) => parseReconAnalytics(raw, meta, recon!), [meta, recon])
    return useQuery({
        queryKey: reconKeys.analytics(ouItems, months),
        queryFn: ({ signal }) => engine.query(reconAnalyticsQuery(meta, recon!, ouItems, months), { signal }),
        enabled: recon !== null && ouItems.length > 0,
        select,
    })
}
