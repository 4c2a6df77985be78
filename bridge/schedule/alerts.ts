import axios from 'axios'
import type { Dhis2Client } from '../dhis2/client'
import { isUid } from '../dhis2/uid'
import type { Bilingual } from '../domain/line'
import { HEALTH_WORDS, type Health } from '../../contract/health'
import { describe } from '../errors'

export interface Alert {
    subject: Bilingual
    text: Bilingual
}

/**
 * Failure alerts: a JSON POST to a webhook (chat, SMS gateway…) and a DHIS2 message to a user
 * group. Counts and reasons only; never a credential (the webhook URL itself is not logged).
 */
export async function sendAlert(alert: Alert, opts: { webhookUrl?: string; dhis2UserGroup?: string; client: Dhis2Client | null; timeoutMs: number }): Promise<Bilingual[]> {
    const problems: Bilingual[] = []
    if (opts.webhookUrl) {
        try {
            await axios.post(
                opts.webhookUrl,
                { subject: `${alert.subject.fr} / ${alert.subject.en}`, text: `${alert.text.fr}\n\n${alert.text.en}`, fr: alert.text.fr, en: alert.text.en },
                { timeout: opts.timeoutMs, maxRedirects: 0 }
            )
        } catch (e) {
            const code = (e as { code?: string; response?: { status?: number } }).response?.status ?? (e as { code?: string }).code ?? 'error'
            problems.push({ fr: `Alerte webhook non envoyée (${code})`, en: `Webhook alert not sent (${code})` })
        }
    }
    if (opts.dhis2UserGroup && opts.client) {
        try {
            let groupId = opts.dhis2UserGroup
            if (!isUid(groupId)) {
                const res = await opts.client.get<{ userGroups?: Array<{ id: string }> }>('userGroups', { filter: `code:eq:${groupId}`, fields: 'id', paging: 'false' })
                groupId = res.data?.userGroups?.[0]?.id ?? groupId
            }
            await opts.client.post('messageConversations', {
                subject: `${alert.subject.fr} / ${alert.subject.en}`.slice(0, 255),
                text: `${alert.text.fr}\n\n${alert.text.en}`,
                userGroups: [{ id: groupId }],
            })
        } catch (e) {
            const why = describe(e)
            problems.push({ fr: `Message DHIS2 non envoyé : ${why.fr}`, en: `DHIS2 message not sent: ${why.en}` })
        }
    }
    return problems
}

/** The health words, in one language, for an alert's body. */
function summary(h: Health, lang: 'fr' | 'en'): string {
    const never = lang === 'fr' ? 'jamais' : 'never'
    const lines = [
        `${HEALTH_WORDS.lastDelivery[lang]} : ${h.lastDeliveryAt ?? never}`,
        `${HEALTH_WORDS.lastCleanRun[lang]} : ${h.lastCleanRunAt ?? never}`,
        `${HEALTH_WORDS.newProblems[lang]} : ${h.newProblems}`,
        `${HEALTH_WORDS.stillQuarantined[lang]} : ${h.stillQuarantined}`,
        `${HEALTH_WORDS.valuesWaiting[lang]} : ${h.valuesWaiting}`,
        ...h.problems.map((p) => `- ${p[lang]}`),
    ]
    return (lang === 'en' ? lines.map((l) => l.replace(' : ', ': ')) : lines).join('\n')
}

const both = (h: Health, fr: string, en: string): Alert['text'] => ({ fr: `${fr}\n${summary(h, 'fr')}`, en: `${en}\n${summary(h, 'en')}` })

/**
 * When to alert (docs/installing.md §6): while health is failing (not delivering), at once and
 * then every `repeatEveryMinutes`; once when it recovers; once for a run that found new problems
 * (rows still quarantined are not new, so an unchanged bad row does not alert again).
 */
export class AlertPolicy {
    private failing = false
    private lastSentAt = 0

    constructor(private readonly repeatEveryMinutes: number) {}

    decide(h: Health, now: Date): Alert | null {
        if (h.status === 'failing') {
            if (this.failing && now.getTime() - this.lastSentAt < this.repeatEveryMinutes * 60_000) return null
            const again = this.failing
            this.failing = true
            this.lastSentAt = now.getTime()
            return {
                subject: { fr: 'Pont des recettes : livraison en échec', en: 'Revenue bridge: delivery failing' },
                text: both(h, again ? 'Toujours en échec.' : 'Les valeurs ne parviennent plus à DHIS2.', again ? 'Still failing.' : 'Values no longer reach DHIS2.'),
            }
        }
        if (this.failing) {
            this.failing = false
            return {
                subject: { fr: 'Pont des recettes : livraison rétablie', en: 'Revenue bridge: delivery recovered' },
                text: both(h, 'Les valeurs parviennent de nouveau à DHIS2.', 'Values reach DHIS2 again.'),
            }
        }
        if (h.newProblems > 0) {
            return {
                subject: { fr: 'Pont des recettes : nouveaux problèmes de données', en: 'Revenue bridge: new data problems' },
                text: both(h, 'Livraison faite ; des lignes ou des valeurs sont à corriger.', 'Delivered; rows or values need correcting.'),
            }
        }
        return null
    }
}
