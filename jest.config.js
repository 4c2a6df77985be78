// App tests, run by `d2-app-scripts test` (jest 27 + jsdom 16), which shallow-merges this file over
// its defaults: keys set here replace the defaults whole, so the transform is restated.
// The bridge's tests use jest.bridge.config.js instead.
// The package's "exports" hides config/, so point at the platform's transform by path.
const platformConfig = '<rootDir>/node_modules/@dhis2/cli-app-scripts/config'
const d2Transform = `${platformConfig}/jest.transform.js`

module.exports = {
    roots: ['<rootDir>/src'],
    globalSetup: '<rootDir>/src/test-utils/global-setup.js',
    setupFilesAfterEnv: ['<rootDir>/src/test-utils/setup-tests.ts'],
    reporters: ['default', '<rootDir>/jest/summary-reporter.js'],
    testEnvironment: '<rootDir>/jest/fixed-jsdom-env.js',
    // The default regex misses .mjs; msw 2.15 ships ESM-only dependencies.
    transform: { '^.+\\.(mjs|cjs|[jt]sx?)$': d2Transform },
    // Setting moduleNameMapper replaces the platform's, so its CSS / file / styled-jsx mocks are restated.
    moduleNameMapper: {
        '\\.module\\.css$': '<rootDir>/src/test-utils/css-module-mock.js',
        '\\.(css|less)$': `${platformConfig}/jest.identity.mock.js`,
        '\\.(jpg|jpeg|png|gif|eot|otf|webp|svg|ttf|woff|woff2|mp4|webm|wav|mp3|m4a|aac|oga)$': `${platformConfig}/jest.file.mock.js`,
        '^styled-jsx/(css|macro)$': `${platformConfig}/jest.styled-jsx-css.mock.js`,
    },
    transformIgnorePatterns: [
        '/node_modules/(?!(moment/dist|rettime|until-async|@open-draft/deferred-promise)/)',
    ],
}
