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
}

module.exports = config
