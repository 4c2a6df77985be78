/**
 * User groups and message conversations (DHIS2 `GET /api/userGroups`, `POST /api/messageConversations`):
 * enough for the bridge's alert by DHIS2 message. One seeded group, code HMIS_ADMINS; the messages
 * are kept per stand-in for tests (`messagesOf(state)`).
 */
import type { Router } from 'express'
import { HttpError, sendJson, sendWebMessage, webMessage } from './http'
import type { StandinState } from './state'
import { generateUid } from './uid'

export const USER_GROUPS = [{ id: 'uGrpHmisAd1', code: 'HMIS_ADMINS', name: 'Administrateurs HMIS' }]

export interface MessageConversation {
    id: string
    subject: string
    text: string
    userGroups: string[]
    created: string
}

const store = new WeakMap<StandinState, MessageConversation[]>()

export function messagesOf(state: StandinState): MessageConversation[] {
    if (!store.has(state)) store.set(state, [])
    return store.get(state)!
}

export function messageRoutes(router: Router, getState: () => StandinState): void {
    router.get('/userGroups', (req, res) => {
        const filter = typeof req.query.filter === 'string' ? /^code:eq:(.+)$/.exec(req.query.filter)?.[1] : undefined
        const groups = USER_GROUPS.filter((g) => !filter || g.code === filter)
        sendJson(res, 200, { userGroups: groups.map((g) => ({ id: g.id, code: g.code, displayName: g.name })) })
    })
    router.post('/messageConversations', (req, res) => {
        let body: { subject?: string; text?: string; userGroups?: Array<{ id?: string }> }
        try {
            body = JSON.parse(req.rawBody || '{}')
        } catch {
            throw new HttpError(400, 'Invalid JSON payload')
        }
        const ids = (body.userGroups ?? []).map((g) => g.id ?? '')
        if (!body.subject || !body.text) throw new HttpError(409, 'Subject and text are required')
        if (!ids.length || ids.some((id) => !USER_GROUPS.some((g) => g.id === id))) {
            throw new HttpError(409, 'No recipients found')
        }
        const m = { id: generateUid(), subject: body.subject, text: body.text, userGroups: ids, created: new Date().toISOString() }
        messagesOf(getState()).push(m)
        res.setHeader('Location', `/api/messageConversations/${m.id}`)
        sendWebMessage(res, webMessage(201, 'OK', 'Message conversation created', { response: { uid: m.id } }))
    })
}
