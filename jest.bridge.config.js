// Bridge, stand-in and integration tests (Node). The app's tests run through d2-app-scripts (jest.config.js).
module.exports = {
    testEnvironment: 'node',
    roots: ['<rootDir>/bridge', '<rootDir>/standin', '<rootDir>/demo', '<rootDir>/tests', '<rootDir>/bench'],
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
    reporters: ['default', '<rootDir>/jest/summary-reporter.js'],
    testTimeout: 60000,
}
