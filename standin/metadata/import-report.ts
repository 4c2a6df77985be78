/** What `POST /api/metadata` takes as parameters and answers (reference §3.2): the import report's shapes. */
export type Identifier = 'UID' | 'CODE' | 'AUTO'
export type MetadataStrategy = 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE'

export interface MetadataImportParams {
    importMode: 'COMMIT' | 'VALIDATE'
    identifier: Identifier
    importStrategy: MetadataStrategy
    atomicMode: 'ALL' | 'NONE'
    importReportMode: 'ERRORS' | 'FULL' | 'DEBUG'
    userId?: string
    now: Date
}

export const DEFAULT_METADATA_PARAMS: Omit<MetadataImportParams, 'now'> = {
    importMode: 'COMMIT',
    identifier: 'UID',
    importStrategy: 'CREATE_AND_UPDATE',
    atomicMode: 'ALL',
    importReportMode: 'ERRORS',
}

export interface ErrorReport {
    message: string
    mainKlass: string
    errorKlass?: string
    errorProperty?: string
    errorCode: string
    mainId?: string
}

export interface ObjectReport {
    klass: string
    index: number
    uid?: string
    errorReports: ErrorReport[]
}

export interface Stats {
    created: number
    updated: number
    deleted: number
    ignored: number
    total: number
}

export interface TypeReport {
    klass: string
    stats: Stats
    objectReports: ObjectReport[]
}

export interface ImportReport {
    responseType: 'ImportReport'
    status: 'OK' | 'WARNING' | 'ERROR'
    stats: Stats
    typeReports: TypeReport[]
}
