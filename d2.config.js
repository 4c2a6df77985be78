const path = require('path')

/** @type {import('@dhis2/cli-app-scripts').D2Config} */
const config = {
    type: 'app',
    name: 'recettes-hospitalieres',
    title: 'Recettes hospitalières',
    description: 'Paiements et recettes par établissement / Payments and revenue per facility',
    minDHIS2Version: '2.39',
    entryPoints: {
        app: './src/App.tsx',
    },
    // The platform copies src/ into .d2/shell/src/D2App/ before bundling, so a relative import of
    // the shared vocabulary (../../bridge/domain/codes from src/shared/) would point nowhere there.
    // Map any such relative path back to the repository's bridge/ folder.
    viteConfigExtensions: {
        resolve: {
            alias: [
                { find: /^(?:\.\.\/)+bridge\//, replacement: `${path.resolve(__dirname, 'bridge')}/` },
                { find: /^(?:\.\.\/)+contract\//, replacement: `${path.resolve(__dirname, 'contract')}/` },
            ],
        },
    },
}

module.exports = config
