// The vocabulary the bridge and the app share (docs/contract.md). zod only, no Node imports.
//
// How each side reaches it: the app imports the package name `@recettes/contract` (package.json
// "file:contract" makes npm link node_modules/@recettes/contract -> ../../contract, which Vite,
// the app's jest and tsc follow from src/ and from the platform's copy in .d2/shell/src/D2App/
// alike, with no alias and no absolute path in the build); the bridge imports it by relative path
// (../../contract/codes), and tsconfig.bridge.json compiles it to dist/contract/, so the CLI needs
// nothing at run time.
export * from './codes'
export * from './labels'
export * from './datastore'
export * from './run-summary'
export * from './stock-reconcile'
export * from './lineage'
export * from './indicators'
