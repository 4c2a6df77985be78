// The product vocabulary lives with the bridge (bridge/domain/codes.ts); the app imports it rather
// than restating it. In the build, d2.config.js maps this relative path (the platform copies src/
// into .d2/shell/src/D2App/, where it would not resolve) back to the repository's bridge/ folder.
export * from '../../bridge/domain/codes'
