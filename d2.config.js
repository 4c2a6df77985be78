/** @type {import('@dhis2/cli-app-scripts').D2Config} */
const config = {
    type: 'app',
    name: 'recettes-hospitalieres',
    title: 'Recettes hospitalières',
    // The App Hub shows one description: French first, then English (docs/dhis2-native.md, App Hub).
    description:
        'Recettes hospitalières par établissement, moyen de paiement et service : recettes, part numérique, remboursements, fraîcheur des données et stock pharmacie. / ' +
        'Hospital revenue per facility, payment channel and service: revenue, digital share, refunds, data freshness and pharmacy stock.',
    // version: from package.json. Source URL: asked by the App Hub's upload form (no d2.config field).
    minDHIS2Version: '2.39',
    // The bridge's run summaries and stock reconciliation live here; reserving it makes the namespace
    // readable and writable only by users with access to this app (the bridge's user included).
    dataStoreNamespace: 'payrev',
    entryPoints: {
        app: './src/App.tsx',
        plugin: './src/Plugin.tsx',
    },
    pluginType: 'DASHBOARD',
    // The app's chunk fetched beside the platform's shell, not after it (config/vite-preload.mjs).
    viteConfigExtensions: './config/vite-preload.mjs',
}

module.exports = config
