import type { LocalConfig, ResolvedConfig } from '../config/load'
import { scopeId } from '../aggregate'
import { BY_CHANNEL_AND_SERVICE, DATA_ELEMENTS, type DataElementCode } from '../../contract/codes'
import { RECON_DATA_ELEMENTS } from '../../contract/reconciliation'
import type { Bilingual } from '../domain/line'
import { clientFromConfig } from '../dhis2/client-factory'
import { BridgeError, EXIT } from '../errors'
import { channelTable, serviceTable } from '../ledger/aliases'
import { openState, type StateDb } from '../state/db'
import { replacedLinesForScope, SendLog, tracedLinesForScope } from '../state/lineage'
import { readCurrentValues } from './dhis2-values'
import { familyKeys, type AcceptedRow } from './verify-families'
import { explainValue, type ExplainArgs, type ExplainHead, type ExplainReport, type ExplainResult, type ExplainTarget, type StateValue } from './explain'
import { explainLmis, lmisElementOf, lmisElements } from './explain-lmis-run'
import { asActual } from './verify'

/** A bad argument or a key the state does not know: exit 2 with the reason in French and English. */
export class TraceArgumentError extends BridgeError {
    constructor(reason: Bilingual) {
        super(reason, EXIT.CONFIG)
    }
}

/** The PAYREV element the argument names: its code, or the data element the configuration maps it to. */
function revenueElementOf(lc: LocalConfig, given: string): DataElementCode | undefined {
    const mapped = Object.entries(lc.config.metadata.dataElements ?? {}).find(([, v]) => v === given)?.[0]
    return (DATA_ELEMENTS as readonly string[]).includes(given.toUpperCase()) ? (given.toUpperCase() as DataElementCode) : (mapped as DataElementCode | undefined)
}

const isRevenueElement = (lc: LocalConfig, given: string): boolean => revenueElementOf(lc, given) !== undefined

function parseTarget(lc: LocalConfig, args: ExplainArgs): ExplainTarget {
    const de = revenueElementOf(lc, args.dataElement)
    if (!de) {
        const recon = (RECON_DATA_ELEMENTS as readonly string[]).find((c) => c === args.dataElement.trim().toUpperCase())
        if (recon) {
            // Its figures come from the statements and counts, which the state does not keep: the reconciliation's own report lists the items.
            const month = /^\d{6}$/.test(args.period.trim()) ? `${args.period.trim().slice(0, 4)}-${args.period.trim().slice(4)}` : 'AAAA-MM'
            throw new TraceArgumentError({
                fr: `${recon} est un total de rapprochement : ses éléments (paiements, lignes de relevé, arrêtés de caisse) sont listés par « revenue-bridge reconcile --month ${month} --facility ${args.facility.trim()} --out detail.csv »`,
                en: `${recon} is a reconciliation total: its items (payments, statement rows, cash counts) are listed by "revenue-bridge reconcile --month ${month} --facility ${args.facility.trim()} --out detail.csv"`,
            })
        }
        const expected = [...DATA_ELEMENTS, ...lmisElements(lc)].join(', ')
        throw new TraceArgumentError({
            fr: `Élément de données inconnu « ${args.dataElement} » : attendu ${expected}`,
            en: `Unknown data element "${args.dataElement}": expected ${expected}`,
        })
    }
    const channel = args.channel ? channelTable(lc.config.aliases.channel).resolve(args.channel) : null
    if (args.channel && !channel) throw new TraceArgumentError({ fr: `Moyen de paiement inconnu « ${args.channel} »`, en: `Unknown payment channel "${args.channel}"` })
    const service = args.service ? serviceTable(lc.config.aliases.service).resolve(args.service) : null
    if (args.service && !service) throw new TraceArgumentError({ fr: `Service inconnu « ${args.service} »`, en: `Unknown service "${args.service}"` })
    if (service && !BY_CHANNEL_AND_SERVICE.has(de)) {
        throw new TraceArgumentError({
            fr: `${de} se ventile par moyen de paiement seulement : retirez --service`,
            en: `${de} is broken down by payment channel only: drop --service`,
        })
    }
    return { dataElement: de, period: args.period.trim(), facility: args.facility.trim(), channel, service }
}

/** The facility codes the user may mean: the ledger's code, or the DHIS2 org unit code / UID it maps to. */
function facilityCandidates(db: StateDb, lc: LocalConfig, given: string, family: ExplainReport['family']): string[] {
    const out = [given, ...lc.config.facilities.filter((f) => f.orgUnit === given).map((f) => f.code)]
    const refs = db.prepare('SELECT ref FROM org_units WHERE code = ? OR id = ?').pluck().all(given, given) as string[]
    const known = db.prepare('SELECT DISTINCT facility FROM dhis2_values WHERE family = ?').pluck().all(family) as string[]
    for (const f of known) if (refs.includes(lc.orgUnitRefFor(f))) out.push(f)
    return [...new Set(out)]
}

function valuesFor(db: StateDb, t: ExplainTarget): StateValue[] {
    return db
        .prepare(
            `SELECT key, channel, service, desired, accepted FROM dhis2_values
              WHERE family = 'revenue' AND data_element = @de AND period = @period AND facility = @facility
                AND (@channel IS NULL OR channel = @channel) AND (@service IS NULL OR service = @service)
              ORDER BY key`
        )
        .all({ de: t.dataElement, period: t.period, facility: t.facility, channel: t.channel, service: t.service }) as StateValue[]
}

function unknownKey(db: StateDb, lc: LocalConfig, t: ExplainTarget): TraceArgumentError {
    const what = `${t.dataElement} ${t.period} ${t.facility}${t.channel ? ` ${t.channel}` : ''}${t.service ? ` × ${t.service}` : ''}`
    const periods = db.prepare("SELECT DISTINCT period FROM dhis2_values WHERE family = 'revenue' AND facility = ? ORDER BY period").pluck().all(t.facility) as string[]
    const hint = periods.length
        ? { fr: `périodes connues pour ${t.facility} : ${periods[0]} … ${periods[periods.length - 1]}`, en: `known periods for ${t.facility}: ${periods[0]} … ${periods[periods.length - 1]}` }
        : { fr: `aucune valeur pour l'établissement ${t.facility}`, en: `no value for facility ${t.facility}` }
    return new TraceArgumentError({
        fr: `Clé inconnue : l'état ${lc.stateDir} n'a aucune valeur ${what} (${hint.fr}). Vérifiez les codes, ou lancez d'abord « revenue-bridge sync »`,
        en: `Unknown key: the state in ${lc.stateDir} has no value ${what} (${hint.en}). Check the codes, or run "revenue-bridge sync" first`,
    })
}

/** explain from the state alone (offline). */
export function explainFromState(lc: LocalConfig, args: ExplainArgs): ExplainReport {
    // A PAYREV element (or its configured mapping) is revenue; else a configured LMIS element.
    const lmisElement = isRevenueElement(lc, args.dataElement) ? null : lmisElementOf(lc, args.dataElement)
    if (lmisElement) {
        const db = openState(lc.stateDir, { readonly: true })
        try {
            const { head, result, notes } = explainLmis(db, lc, args, lmisElement, facilityCandidates(db, lc, args.facility.trim(), 'lmis'), (why) => new TraceArgumentError(why))
            return report(db, lc, head, result, notes)
        } finally {
            db.close()
        }
    }
    const parsed = parseTarget(lc, args)
    const db = openState(lc.stateDir, { readonly: true })
    try {
        let target = parsed
        let values: StateValue[] = []
        for (const facility of facilityCandidates(db, lc, parsed.facility, 'revenue')) {
            target = { ...parsed, facility }
            values = valuesFor(db, target)
            if (values.length) break
        }
        if (!values.length) throw unknownKey(db, lc, { ...parsed })
        const scope = scopeId(target.facility, target.period)
        const ctx = { periodType: lc.config.periodType, zoneFor: lc.zoneFor }
        const result = explainValue(target, values, tracedLinesForScope(db, scope), replacedLinesForScope(db, scope), new SendLog(db).forKeys(values.map((v) => v.key)), ctx)
        const { dataElement, period, facility, channel, service } = target
        return report(db, lc, { family: 'revenue', dataElement, period, facility, channel, service }, result, [])
    } finally {
        db.close()
    }
}

/** The report of an explained value, either family: its org unit, and the notes every explanation may need. */
function report(db: StateDb, lc: LocalConfig, head: ExplainHead, result: ExplainResult, familyNotes: Bilingual[]): ExplainReport {
    const ou = db.prepare('SELECT code, id FROM org_units WHERE ref = ?').get(lc.orgUnitRefFor(head.facility)) as { code: string | null; id: string } | undefined
    const notes: Bilingual[] = [...familyNotes]
    const unknown = [...result.lines, ...result.excluded].filter((l) => l.position === null).length
    if (unknown) {
        notes.push({
            fr: `${unknown} ligne(s) enregistrée(s) avant la traçabilité : source et position inconnues (l'exécution qui les a apportées est connue)`,
            en: `${unknown} line(s) recorded before traceability: source and position unknown (the run that brought them is known)`,
        })
    }
    if (result.computed !== result.value) {
        notes.push({
            fr: `Les lignes donnent ${result.computed} mais l'état garde ${result.value} : un recalcul est en attente, lancez « revenue-bridge sync »`,
            en: `The lines give ${result.computed} but the state holds ${result.value}: a recomputation is pending, run "revenue-bridge sync"`,
        })
    }
    return { command: 'explain', ...head, orgUnit: ou?.code ?? lc.orgUnitRefFor(head.facility), ...result, dhis2: null, notes }
}

/** --check: ask DHIS2 what it holds now for the report's keys (the state is only read). */
export async function checkAgainstDhis2(rc: ResolvedConfig, report: ExplainReport): Promise<ExplainReport> {
    const client = clientFromConfig(rc)
    // Read-write only for the org unit cache the resolver keeps; nothing else is written.
    const db = openState(rc.stateDir)
    try {
        const iso = () => new Date().toISOString()
        const rows = db
            .prepare(
                `SELECT key, data_element AS dataElement, period, facility, coc, channel, service, accepted FROM dhis2_values WHERE family = ? AND key IN (${report.keys.map(() => '?').join(',')})`
            )
            .all(report.family, ...report.keys) as AcceptedRow[]
        // Resolved the way the family's push resolves them (verify's own resolution).
        const keys = await familyKeys(report.family, client, rc, db, rows, iso)
        if ('skipped' in keys) throw new TraceArgumentError(keys.skipped)
        const read = await readCurrentValues(client, keys.dataSetId, keys.resolved)
        const held = [...read.values.values()].map(asActual).filter((v) => v !== null)
        const current = held.length === 0 ? null : held.every((v) => typeof v === 'number') ? (held as number[]).reduce((a, b) => a + b, 0) : held.join(' + ')
        return { ...report, dhis2: { current, matches: current === report.accepted, requests: client.requests.count } }
    } finally {
        db.close()
    }
}
