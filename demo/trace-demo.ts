/**
 * The demo's last act (docs/traceability.md): `explain` one figure of the Hôpital de Dermatologie
 * de Bamako, then a data-entry clerk types over that value in DHIS2 (through its Web API), and
 * `verify` finds it and `verify --repair` puts the bridge's total back.
 */
import { DateTime } from 'luxon'
import type { Standin } from '../standin'

export interface TraceDemoContext {
    standin: Standin
    endDate: string
    /** Runs the real CLI with the demo's environment; resolves to its exit code. */
    cli: (args: string[]) => Promise<number>
    say: (text: string) => void
    bi: (fr: string, en: string) => string
    admin: { user: string; password: string }
}

const FACILITY = 'ML-BKO-HDB'
const KEY = { dataElement: 'PAYREV_GROSS', channel: 'ORANGE_MONEY', service: 'CONSULTATION' }

export async function traceDemo(c: TraceDemoContext): Promise<boolean> {
    const period = DateTime.fromISO(c.endDate).minus({ months: 1 }).toFormat('yyyyLL')
    const args = ['--data-element', KEY.dataElement, '--period', period, '--facility', FACILITY, '--channel', KEY.channel, '--service', KEY.service]
    c.say(`\n$ revenue-bridge explain ${args.join(' ')}\n`)
    const explainCode = await c.cli(['explain', ...args])

    // A data-entry clerk corrects the figure by hand in DHIS2: the bridge is not told.
    const auth = { Authorization: `Basic ${Buffer.from(`${c.admin.user}:${c.admin.password}`).toString('base64')}`, 'Content-Type': 'application/json' }
    const get = async (p: string) => (await (await fetch(`${c.standin.url}/api/${p}`, { headers: auth })).json()) as Record<string, Array<Record<string, any>>>
    const ds = (await get('dataSets?filter=code:eq:PAYREV_MONTHLY&fields=id')).dataSets[0].id
    const ou = (await get(`organisationUnits?filter=code:eq:${FACILITY}&fields=id`)).organisationUnits[0].id
    const de = (await get(`dataElements?filter=code:eq:${KEY.dataElement}&fields=id`)).dataElements[0].id
    const cocs = (await get('categoryOptionCombos?fields=id,categoryOptions[code]&paging=false')).categoryOptionCombos
    const coc = cocs.find((x) => x.categoryOptions.map((o: { code: string }) => o.code).sort().join('+') === `PAYREV_CH_${KEY.channel}+PAYREV_SV_${KEY.service}`)!.id
    const held = (await get(`dataValueSets?dataSet=${ds}&period=${period}&orgUnit=${ou}`)).dataValues.find((v) => v.dataElement === de && v.categoryOptionCombo === coc)
    const typed = String(Number(held?.value ?? 0) + 25_000)
    const res = await fetch(`${c.standin.url}/api/dataValueSets`, { method: 'POST', headers: auth, body: JSON.stringify({ dataValues: [{ dataElement: de, period, orgUnit: ou, categoryOptionCombo: coc, value: typed }] }) })
    c.say(
        `\n${c.bi(
            `Une saisie manuelle dans DHIS2 remplace ${held?.value} par ${typed} (${KEY.dataElement} ${period} ${FACILITY} Orange Money × Consultations) — HTTP ${res.status}`,
            `A manual entry in DHIS2 replaces ${held?.value} with ${typed} (${KEY.dataElement} ${period} ${FACILITY} Orange Money × Consultations) — HTTP ${res.status}`
        )}\n`
    )
    c.say('\n$ revenue-bridge verify\n')
    const found = await c.cli(['verify'])
    c.say('\n$ revenue-bridge verify --repair\n')
    const repaired = await c.cli(['verify', '--repair'])
    return explainCode === 0 && found === 3 && repaired === 0
}
