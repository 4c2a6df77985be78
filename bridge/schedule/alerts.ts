import axios from 'axios'
import type { Dhis2Client } from '../dhis2/client'
import { isUid } from '../dhis2/uid'
import type { Bilingual } from '../domain/line'
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
