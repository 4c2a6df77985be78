import { DateTime } from 'luxon'
import { HEALTH_WORDS, type Health, type RunPoint } from '../../contract/health'
import type { OutboxEntry, QuarantinedRow } from '../state/operator'

/**
 * The IT officer's page served by `schedule` (docs/installing.md §6): server-rendered HTML in
 * French or English, an inline SVG chart, and a small inline script that refreshes the main
 * section and posts the two actions. No build step, no outside resource.
 */
export type PageLang = 'fr' | 'en'

export interface PageData {
    health: Health
    runs: RunPoint[]
    outbox: OutboxEntry[]
    outboxTotal: number
    quarantine: Array<Omit<QuarantinedRow, 'raw'>>
    quarantineTotal: number
    /** The last `verify` (docs/traceability.md), when one ran: shown beside the runs. */
    verify: { at: string; checked: number; drifted: number; left: number; repaired: number } | null
    access: 'loopback' | 'token'
    bind: string
    zone: string
    version: string
    message?: string
}

const T = {
    title: { fr: 'Pont des recettes — état', en: 'Revenue bridge — status' },
    status: {
        ok: { fr: 'Tout est livré', en: 'All delivered' },
        problems: { fr: 'Données à corriger', en: 'Data to correct' },
        failing: { fr: 'Livraison en échec', en: 'Delivery failing' },
    },
    running: { fr: 'Synchronisation en cours…', en: 'Sync running…' },
    nextRun: { fr: 'Prochaine exécution', en: 'Next run' },
    lastRun: { fr: 'Dernière exécution', en: 'Last run' },
    never: { fr: 'jamais', en: 'never' },
    syncNow: { fr: 'Synchroniser maintenant', en: 'Sync now' },
    retry: { fr: 'Renvoyer les valeurs en attente', en: 'Resend the values waiting' },
    runs: { fr: 'Dernières exécutions', en: 'Last runs' },
    when: { fr: 'Fin', en: 'Finished' },
    exit: { fr: 'Code', en: 'Exit' },
    delivered: { fr: 'Livrée', en: 'Delivered' },
    linesRead: { fr: 'Lignes lues', en: 'Lines read' },
    valuesSent: { fr: 'Valeurs envoyées', en: 'Values sent' },
    waiting: { fr: 'En attente', en: 'Waiting' },
    rejected: { fr: 'Refusées', en: 'Rejected' },
    quarantined: { fr: 'En quarantaine (nouvelles)', en: 'Quarantined (new)' },
    outbox: { fr: 'Ce qui attend d\'être accepté par DHIS2', en: 'What waits to be accepted by DHIS2' },
    facility: { fr: 'Établissement', en: 'Facility' },
    period: { fr: 'Période', en: 'Period' },
    element: { fr: 'Élément', en: 'Element' },
    value: { fr: 'Valeur', en: 'Value' },
    inDhis2: { fr: 'Dans DHIS2', en: 'In DHIS2' },
    why: { fr: 'Pourquoi', en: 'Why' },
    notYet: { fr: 'pas encore accepté (envoi à la prochaine exécution)', en: 'not accepted yet (sent at the next run)' },
    quarantine: { fr: 'Quarantaine (lignes à corriger)', en: 'Quarantine (rows to correct)' },
    download: { fr: 'Télécharger l\'export à corriger (CSV)', en: 'Download the export to correct (CSV)' },
    reingest: { fr: 'Après correction : revenue-bridge quarantine reingest --file FICHIER', en: 'Once corrected: revenue-bridge quarantine reingest --file FILE' },
    where: { fr: 'Où', en: 'Where' },
    reason: { fr: 'Raison', en: 'Reason' },
    none: { fr: 'Rien.', en: 'Nothing.' },
    shown: { fr: 'affichées', en: 'shown' },
    loopback: { fr: 'Accessible depuis ce serveur seulement', en: 'Reachable from this server only' },
    token: { fr: 'Accès protégé par un jeton (schedule.http.tokenFile ou BRIDGE_HTTP_TOKEN)', en: 'Access protected by a token (schedule.http.tokenFile or BRIDGE_HTTP_TOKEN)' },
    refresh: { fr: 'Mise à jour automatique toutes les 15 s', en: 'Refreshes by itself every 15 s' },
    verify: { fr: 'Dernière vérification de DHIS2', en: 'Last check of DHIS2' },
    verifyText: { fr: 'valeurs vérifiées, écarts trouvés, réparés, restants', en: 'values checked, drifted, repaired, left' },
    yes: { fr: 'oui', en: 'yes' },
    no: { fr: 'non', en: 'no' },
} as const

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function when(iso: string | null, zone: string, lang: PageLang): string {
    if (!iso) return T.never[lang]
    return DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm')
}

/** Five small bar charts, one per measure, each on its own scale; a run that did not deliver is red. */
function chart(runs: RunPoint[], lang: PageLang): string {
    const series: Array<[string, (r: RunPoint) => number]> = [
        [T.linesRead[lang], (r) => r.linesRead],
        [T.valuesSent[lang], (r) => r.valuesSent],
        [T.waiting[lang], (r) => r.valuesWaiting],
        [T.rejected[lang], (r) => r.valuesRejected],
        [T.quarantined[lang], (r) => r.quarantined],
    ]
    const w = 600
    const rowH = 44
    const barW = runs.length ? Math.max(2, Math.floor((w - 160) / Math.max(runs.length, 10)) - 2) : 0
    const rows = series.map(([label, get], i) => {
        const max = Math.max(1, ...runs.map(get))
        const y0 = i * rowH
        const bars = runs
            .map((r, j) => {
                const h = Math.round((get(r) / max) * (rowH - 14))
                return `<rect x="${150 + j * (barW + 2)}" y="${y0 + rowH - 6 - h}" width="${barW}" height="${h}" class="${r.delivered ? 'ok' : 'ko'}"><title>#${r.id} ${esc(r.finishedAt)}: ${get(r)}</title></rect>`
            })
            .join('')
        return `<text x="0" y="${y0 + rowH - 10}">${esc(label)}</text><text x="146" y="${y0 + 14}" text-anchor="end" class="max">${max}</text><line x1="150" x2="${w}" y1="${y0 + rowH - 6}" y2="${y0 + rowH - 6}"/>${bars}`
    })
    return `<svg id="chart" role="img" aria-label="${esc(T.runs[lang])}" viewBox="0 0 ${w} ${rowH * series.length}" width="100%">${rows.join('')}</svg>`
}

function table(head: string[], rows: string[][], id: string): string {
    return `<table id="${id}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
}

/** The part the script refreshes. */
export function renderMain(d: PageData, lang: PageLang): string {
    const h = d.health
    const fact = (label: string, value: string, id: string) => `<div><dt>${esc(label)}</dt><dd id="${id}">${value}</dd></div>`
    const runsRows = [...d.runs].reverse().slice(0, 15).map((r) => [
        esc(when(r.finishedAt, d.zone, lang)),
        esc(r.exitCode),
        r.delivered ? T.yes[lang] : `<b class="bad">${T.no[lang]}</b>`,
        esc(r.linesRead),
        esc(r.valuesSent),
        esc(r.valuesWaiting),
        esc(r.valuesRejected),
        `${esc(r.quarantined)} (${esc(r.newlyQuarantined)})`,
    ])
    const outboxRows = d.outbox.map((e) => [
        esc(e.facility),
        esc(e.period),
        esc(`${e.dataElement} ${e.channel}${e.service ? ` × ${e.service}` : ''}`),
        esc(e.desired),
        esc(e.accepted ?? '—'),
        e.lastErrorCode || e.lastErrorMessage ? `<span class="bad">${esc([e.lastErrorCode, e.lastErrorMessage].filter(Boolean).join(' — '))}</span>` : esc(T.notYet[lang]),
    ])
    const qRows = d.quarantine.map((q) => [esc(`${q.file}:${q.line}${q.column ? ` [${q.column}]` : ''}`), esc(lang === 'fr' ? q.reasonFr : q.reasonEn)])
    const more = (shown: number, total: number) => (total > shown ? ` <small>(${shown}/${total} ${T.shown[lang]})</small>` : '')
    return `<section id="status" class="${h.status}">
<h2 id="status-word">${esc(T.status[h.status][lang])}${h.running ? ` <small>${esc(T.running[lang])}</small>` : ''}</h2>
<dl>${[
        fact(HEALTH_WORDS.lastDelivery[lang], esc(when(h.lastDeliveryAt, d.zone, lang)), 'last-delivery'),
        fact(HEALTH_WORDS.lastCleanRun[lang], esc(when(h.lastCleanRunAt, d.zone, lang)), 'last-clean'),
        fact(HEALTH_WORDS.newProblems[lang], esc(h.newProblems), 'new-problems'),
        fact(HEALTH_WORDS.stillQuarantined[lang], esc(h.stillQuarantined), 'still-quarantined'),
        fact(HEALTH_WORDS.valuesWaiting[lang], esc(h.valuesWaiting), 'values-waiting'),
        fact(T.lastRun[lang], `${esc(when(h.lastRunAt, d.zone, lang))}${h.lastRunExitCode !== null ? ` (${T.exit[lang]} ${h.lastRunExitCode})` : ''}`, 'last-run'),
        fact(T.nextRun[lang], esc(when(h.nextRunAt, d.zone, lang)), 'next-run'),
        ...(d.verify
            ? [fact(T.verify[lang], `${esc(when(d.verify.at, d.zone, lang))} — ${[d.verify.checked, d.verify.drifted, d.verify.repaired, d.verify.left].join(' / ')} <small>(${esc(T.verifyText[lang])})</small>`, 'last-verify')]
            : []),
    ].join('')}</dl>
${h.problems.length ? `<ul id="problems">${h.problems.map((p) => `<li>${esc(p[lang])}</li>`).join('')}</ul>` : ''}
</section>
${d.message ? `<p id="message" role="status">${esc(d.message)}</p>` : ''}
<section><h2>${esc(T.runs[lang])}</h2>${chart(d.runs, lang)}
${table([T.when[lang], T.exit[lang], T.delivered[lang], T.linesRead[lang], T.valuesSent[lang], T.waiting[lang], T.rejected[lang], T.quarantined[lang]], runsRows, 'runs')}</section>
<section><h2>${esc(T.outbox[lang])} — ${d.outboxTotal}${more(d.outbox.length, d.outboxTotal)}</h2>
${d.outbox.length ? table([T.facility[lang], T.period[lang], T.element[lang], T.value[lang], T.inDhis2[lang], T.why[lang]], outboxRows, 'outbox') : `<p>${T.none[lang]}</p>`}</section>
<section><h2>${esc(T.quarantine[lang])} — ${d.quarantineTotal}${more(d.quarantine.length, d.quarantineTotal)}</h2>
${d.quarantineTotal ? `<p><a id="download" href="quarantine.csv" download>${esc(T.download[lang])}</a> — <code>${esc(T.reingest[lang])}</code></p>${table([T.where[lang], T.reason[lang]], qRows, 'quarantine')}` : `<p>${T.none[lang]}</p>`}</section>`
}

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:0 1em;color:#222}
header{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap}
#status{border-left:8px solid #2a7;padding:.2em 1em;background:#f4faf6}#status.problems{border-color:#d90;background:#fdf8ec}#status.failing{border-color:#c22;background:#fcf0f0}
dl{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:.3em 1em}dt{font-size:.85em;color:#555}dd{margin:0;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border-bottom:1px solid #ddd;padding:.25em .4em;text-align:left;font-size:.9em}
.bad{color:#b00}button{font-size:1em;padding:.4em .9em;margin-right:.5em}
svg text{font-size:11px}svg .max{fill:#888}svg line{stroke:#bbb}svg rect.ok{fill:#3a8}svg rect.ko{fill:#c33}`

/** The whole page; `csrf` is the per-process token the actions must carry. */
export function renderPage(d: PageData, lang: PageLang, csrf: string): string {
    const other: PageLang = lang === 'fr' ? 'en' : 'fr'
    const script = `(function(){var m=document.getElementById('main'),c=${JSON.stringify(csrf)},l=${JSON.stringify(lang)};
function load(){fetch('fragment?lang='+l,{credentials:'same-origin'}).then(function(r){if(r.ok)return r.text()}).then(function(t){if(t)m.innerHTML=t})}
setInterval(load,15000);
document.querySelectorAll('form.action').forEach(function(f){f.addEventListener('submit',function(e){e.preventDefault();var b=f.querySelector('button');b.disabled=true;
fetch(f.getAttribute('action')+'?lang='+l,{method:'POST',credentials:'same-origin',headers:{'X-CSRF-Token':c}}).then(function(r){return r.json()}).then(function(j){document.getElementById('notice').textContent=j.message[l];load()}).finally(function(){b.disabled=false})})})})()`
    return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(T.title[lang])}</title><style>${STYLE}</style></head><body>
<header><h1>${esc(T.title[lang])}</h1><p><a href="?lang=${other}" hreflang="${other}">${other === 'fr' ? 'Français' : 'English'}</a></p></header>
<p id="access"><small>${esc(d.access === 'loopback' ? T.loopback[lang] : T.token[lang])} (${esc(d.bind)}) — revenue-bridge ${esc(d.version)} — ${esc(T.refresh[lang])}</small></p>
<div id="actions"><form class="action" method="post" action="actions/sync" style="display:inline"><input type="hidden" name="csrf" value="${esc(csrf)}"><button id="sync-now">${esc(T.syncNow[lang])}</button></form>
<form class="action" method="post" action="actions/retry" style="display:inline"><input type="hidden" name="csrf" value="${esc(csrf)}"><button id="retry">${esc(T.retry[lang])}</button></form>
<span id="notice" role="status"></span></div>
<main id="main">${renderMain(d, lang)}</main>
<script>${script}</script></body></html>`
}
