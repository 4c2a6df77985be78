/**
 * The commented starter configuration written by `revenue-bridge init` (YAML: JSON has no
 * comments). It is valid as written; the examples between the `exemples / examples` markers
 * are commented out and valid once uncommented (tests/connectors/config.test.ts checks both).
 */
export const EXAMPLE_START = '# ---- exemples / examples'
export const EXAMPLE_END = '# ---- fin des exemples / end of examples'

export function starterConfig(): string {
    return `# revenue-bridge — configuration
#
# FR  Vérifiez ce fichier avec : revenue-bridge config check --config <ce fichier>
#     Les secrets ne s'écrivent jamais ici : DHIS2_TOKEN (ou DHIS2_USERNAME / DHIS2_PASSWORD),
#     les mots de passe des bases et les jetons d'API sont lus dans des variables
#     d'environnement, nommées ci-dessous (passwordEnv, tokenEnv, urlEnv).
# EN  Check this file with: revenue-bridge config check --config <this file>
#     Secrets never go here: DHIS2_TOKEN (or DHIS2_USERNAME / DHIS2_PASSWORD), database
#     passwords and API tokens are read from environment variables named below.
#     Each connector is described in docs/connectors/.

dhis2:
  # Adresse du serveur, sans /api (DHIS2_BASE_URL l'emporte) / server root, no /api (DHIS2_BASE_URL wins)
  # baseUrl: https://dhis2.sante.gov.ml
  timeoutMs: 60000
  retries: 3

# Fuseau horaire des établissements (BRIDGE_TIME_ZONE sinon) / facilities' time zone
timeZone: Africa/Bamako

# Périodes envoyées à DHIS2 / periods sent to DHIS2: Monthly, Weekly, Daily
periodType: Monthly

# Établissements : code écrit dans le registre → unité d'organisation DHIS2 (code ou UID), si différent
# Facilities: code written in the ledger → DHIS2 organisation unit (code or UID), when different
facilities: []
#  - code: HDB
#    orgUnit: ML-BKO-HDB
#  - code: CSREF4
#    orgUnit: ML-BKO-CSREF4
#    timeZone: Africa/Bamako

# Orthographes maison des moyens de paiement et des services / in-house spellings
aliases:
  channel: {}
  #  "Mobile Money OM": ORANGE_MONEY
  #  "Wave": OTHER
  service: {}
  #  "Kinésithérapie": OTHER
  #  "Echographie": EXAM

ledger:
  # Registres au format canonique (CSV ou XLSX, colonnes du §2) lus à chaque passage,
  # en plus de --ledger / canonical ledgers (CSV or XLSX), read on every run, besides --ledger
  paths: []

  # Connecteurs / connectors: file, folder, sql, http (docs/connectors/)
  sources: []
${EXAMPLE_START}
#  sources:
#    # Exports de caisse déposés chaque jour dans un dossier : chaque fichier lu une fois.
#    # Daily cashier exports dropped in a folder: each file read once.
#    - type: folder
#      name: caisse-quotidienne
#      path: /srv/exports/quotidien
#      preset: cashier
#
#    # Export de caisse (CSV ou XLSX) / cashier export
#    - type: file
#      name: caisse
#      paths: [/srv/exports/caisse]
#      preset: cashier
#
#    # Base de facturation PostgreSQL, en lecture seule, lue par pages selon updated_at.
#    # Mot de passe : variable CAISSE_DB_PASSWORD / password in the environment variable.
#    - type: sql
#      name: facturation
#      driver: postgres
#      host: 10.0.0.12
#      port: 5432
#      database: caisse
#      user: bridge_ro
#      passwordEnv: CAISSE_DB_PASSWORD
#      query: |
#        SELECT r.numero AS transaction_id, l.rang AS line_no, r.paye_le AS occurred_at,
#               GREATEST(r.modifie_le, l.modifie_le) AS updated_at, r.structure AS facility_code,
#               r.mode_paiement AS channel, l.prestation AS service, l.montant AS amount_xof,
#               r.statut AS status
#        FROM recus r JOIN lignes_recu l ON l.recu_id = r.id
#      cursor: { column: updated_at }
#      pageSize: 1000
#      statementTimeoutMs: 60000
#
#    # Fichier SQLite d'un logiciel de caisse / a cashier program's SQLite file
#    - type: sql
#      name: caisse-sqlite
#      driver: sqlite
#      file: /var/lib/caisse/caisse.db
#      query: SELECT * FROM v_paiements
#      cursor: { column: id, tieBreaker: [] }
#
#    # API REST d'un logiciel de facturation / a billing system's REST API
#    - type: http
#      name: api-facturation
#      url: https://facturation.hopital.ml/api/v1/paiements
#      auth: { type: bearer, tokenEnv: FACTURATION_API_TOKEN }
#      items: data
#      paging: { type: page, param: page, sizeParam: per_page, size: 200 }
#      since: { param: updated_since, field: updated_at }
#      mapping:
#        columns: { id: transaction_id, paid_at: occurred_at, updated_at: updated_at, facility.code: facility_code, method: channel, service: service, amount: amount_xof, status: status }
${EXAMPLE_END}

# Rapprochement : relevés des opérateurs et arrêtés de caisse (docs/reconciliation.md).
# Un relevé n'est jamais une recette : il se déclare ici, jamais sous ledger.sources.
# Reconciliation: operator statements and cash counts. A statement is never revenue.
reconciliation:
  windowMinutes: 30
  statements: []
  #  - paths: [/srv/releves/orange-money]     # dossier où arrivent les relevés / folder of statements
  #    preset: orange-money                   # orange-money, moov-money, sama-money, card-acquirer
  #    facility: ML-BKO-HDB                   # le compte marchand appartient à une structure
  cashCounts: []
  #  - paths: [/srv/caisse/arretes]           # facility_code, date, counted_xof, cashier_id

schedule:
  # Toutes les heures / every hour (node-cron, 5 ou 6 champs)
  cron: "0 * * * *"
`
}

/** The example block, uncommented (for tests and \`config presets\`). */
export function starterExamples(text = starterConfig()): string {
    const lines = text.split('\n')
    const from = lines.indexOf(EXAMPLE_START)
    const to = lines.indexOf(EXAMPLE_END)
    return lines
        .slice(from + 1, to)
        .map((l) => l.replace(/^#/, ''))
        .join('\n')
}
