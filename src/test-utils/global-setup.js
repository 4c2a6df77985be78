// jest globalSetup for the app tests. `d2-app-scripts test` does not generate src/locales (build and
// start do), yet App.tsx imports it: generate it from i18n/*.po here, exactly as the build does.
// Also extract the strings of src/ into a temporary en.pot, so a test can check that fr.po
// translates every string the code uses now (not just those of the committed en.pot).
const fs = require('fs')
const os = require('os')
const path = require('path')

const root = path.resolve(__dirname, '..', '..')
const cli = path.join(root, 'node_modules', '@dhis2', 'cli-app-scripts', 'src', 'lib')

module.exports = async () => {
    // Every date the tests print is in the zone of the Bamako facilities (UTC+0, no DST).
    process.env.TZ = 'Africa/Bamako'
    const makePaths = require(path.join(cli, 'paths.js'))
    const i18n = require(path.join(cli, 'i18n', 'index.js'))
    const paths = makePaths(root)
    const ok = await i18n.generate({ input: paths.i18nStrings, output: paths.i18nLocales, namespace: 'default', paths })
    if (!ok) throw new Error('i18n generate failed: is there an i18n/ folder?')
    const potDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrev-i18n-'))
    await i18n.extract({ input: paths.src, output: potDir, paths, isApp: true })
    process.env.PAYREV_EXTRACTED_POT = path.join(potDir, 'en.pot')
}
