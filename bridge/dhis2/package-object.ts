/** The metadata package's object shapes (the PAYREV package, the reconciliation's, the indicators'): below every module that builds one. */
export const METADATA_TYPES = ['categoryOptions', 'categories', 'categoryCombos', 'dataElements', 'dataSets'] as const
export type MetadataType = (typeof METADATA_TYPES)[number]

export interface Ref {
    id: string
}
/** One object of the package, in the shape POST /api/metadata takes. */
export type PackageObject = { id: string; code: string; name: string; shortName?: string } & Record<string, unknown>
export type MetadataPackage = Record<MetadataType, PackageObject[]>
