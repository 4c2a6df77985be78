// CSS modules in tests: every class name maps to itself (styles.good → "good"), so tests and the
// DOM show the class a rule would hit. The platform's default maps them to {} (undefined).
module.exports = new Proxy({}, { get: (_target, key) => (key === '__esModule' ? false : key) })
