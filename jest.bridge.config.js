// Bridge, stand-in and integration tests (Node). The app's tests run through d2-app-scripts (jest.config.js).
const path = require('path')

// The app platform brings jest 27 and hoists its packages; resolve the node environment that
// belongs to our jest (30), not the hoisted 27 one.
const jestCli = path.dirname(require.resolve('jest-cli/package.json', { paths: [path.dirname(require.resolve('jest/package.json'))] }))
const nodeEnvironment = require.resolve('jest-environment-node', { paths: [jestCli] })

module.exports = {
    testEnvironment: nodeEnvironment,
    roots: ['<rootDir>/bridge', '<rootDir>/standin', '<rootDir>/demo', '<rootDir>/tests', '<rootDir>/bench'],
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
    reporters: ['default', '<rootDir>/jest/summary-reporter.js'],
    testTimeout: 60000,
}
