/** The shapes of the stand-in's metadata schemas (./schema.ts, ./schema-analytics.ts). */
export type PropDef =
    | { kind: 'simple'; required?: boolean; maxLength?: number; unique?: boolean; errorKlass?: string }
    | { kind: 'ref'; type: string; required?: boolean }
    | { kind: 'refs'; type: string }
    | { kind: 'embedded'; schema: EmbeddedSchema }
    | { kind: 'embeddedList'; schema: EmbeddedSchema }

export interface EmbeddedSchema {
    name: string
    props: Record<string, PropDef>
}

export interface TypeSchema {
    /** Plural endpoint name, e.g. `dataElements`. */
    collection: string
    /** Singular schema name, e.g. `dataElement`. */
    singular: string
    klass: string
    simpleName: string
    nameable: boolean
    props: Record<string, PropDef>
    /** Non-owner properties computed at read time (for `*` and filters). */
    computed: string[]
}
