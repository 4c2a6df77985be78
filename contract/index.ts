// The vocabulary the bridge and the app share (docs/contract.md). zod only, no Node imports.
export * from './codes'
export * from './labels'
export * from './datastore'
export * from './run-summary'
export * from './stock-reconcile'
