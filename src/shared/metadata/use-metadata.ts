import { useEffect, useMemo } from 'react'
import { useBrowserStore } from '../data/browser-store'
import { useDhis2Queries } from '../data/use-dhis2-query'
import { resolveMetadata, type MetadataResult } from './metadata'
import { METADATA_KEYS } from './metadata-keys'

const asIs = (raw: unknown) => raw

export interface MetadataState {
    loading: boolean
    error: unknown
    result: MetadataResult | null
    refetch: () => void
}

type MetadataAnswers = Record<keyof typeof METADATA_KEYS, unknown>

export function useMetadata(): MetadataState {
    // The four answers are resolved together (codes → UIDs across resources), once all are in.
    // The last visit's answers are shown while the requests run again (a changed UID changes the
    // analytics' keys once the fresh answers arrive, and those ask again).
    const store = useBrowserStore<MetadataAnswers>('metadata.v1')
    const { loading, error, data, refetch, fresh } = useDhis2Queries(METADATA_KEYS, asIs, store.remembered)
    useEffect(() => {
        if (data && fresh) store.keep(() => data as MetadataAnswers)
    }, [data, fresh, store])
    const parsed = useMemo((): { result: MetadataResult | null; error: unknown } => {
        if (!data) return { result: null, error: null }
        try {
            return { result: resolveMetadata(data as Parameters<typeof resolveMetadata>[0]), error: null }
        } catch (e) {
            return { result: null, error: Object.assign(new Error(`metadata: ${(e as Error).message}`), { name: 'UnexpectedResponseError' }) }
        }
    }, [data])
    return { loading, error: error ?? parsed.error, result: parsed.result, refetch }
}
