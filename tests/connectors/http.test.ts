import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { LedgerSourceError } from '../../bridge/ledger/sources'
import { collect, open, stateDb } from './helpers'

/**
 * The HTTP JSON source against a small local API: page, offset and cursor paging, bearer and
 * Basic credentials from the environment, nested fields, a receipt's lines, the since-cursor.
 */
interface Payment {
    id: string
    paid_at: string
    updated_at: string
    facility: { code: string }
    method: string
    service: string
    amount: number
    status: string
    payer: { phone: string }
}

const PAYMENTS: Payment[] = Array.from({ length: 23 }, (_, i) => ({
    id: `P${String(i + 1).padStart(3, '0')}`,
    paid_at: `2024-03-15T${String(8 + Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}:00`,
    updated_at: `2024-03-15T${String(8 + Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15 + 1).padStart(2, '0')}:00Z`,
    facility: { code: i % 2 ? 'ML-BKO-HDB' : 'ML-BKO-CHUGT' },
    method: i % 3 ? 'orange_money' : 'cash',
    service: 'consultation',
    amount: 1000 * (i + 1),
    status: i === 5 ? 'pending' : 'paid',
    payer: { phone: `7600${String(i).padStart(4, '0')}` },
}))

let server: http.Server
let base = ''
const requests: string[] = []
let failNext = 0

beforeAll(async () => {
    server = http.createServer((req, res) => {
        const url = new URL(req.url!, 'http://x')
        requests.push(url.pathname + url.search)
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { 'Content-Type': 'application/json' })
            res.end(JSON.stringify(body))
        }
        if (failNext > 0) {
            failNext--
            return send(503, { error: 'busy' })
        }
        const since = url.searchParams.get('updated_since')
        const list = PAYMENTS.filter((p) => !since || p.updated_at >= since)
        if (url.pathname === '/api/payments') {
            if (req.headers.authorization !== 'Bearer good-token') return send(401, { error: 'unauthorized' })
            const page = Number(url.searchParams.get('page'))
            const size = Number(url.searchParams.get('pageSize'))
            return send(200, { data: list.slice((page - 1) * size, page * size), meta: { total: list.length } })
        }
        if (url.pathname === '/api/offset') {
            const offset = Number(url.searchParams.get('offset'))
            const limit = Number(url.searchParams.get('limit'))
            return send(200, list.slice(offset, offset + limit))
        }
        if (url.pathname === '/api/cursor') {
            if (req.headers.authorization !== `Basic ${Buffer.from('bridge:pa55').toString('base64')}`) return send(403, { error: 'forbidden' })
            const at = Number(url.searchParams.get('cursor') ?? 0)
            const next = at + 10 < list.length ? String(at + 10) : null
            return send(200, { result: { items: list.slice(at, at + 10) }, next })
        }
        if (url.pathname === '/api/receipts') {
            return send(200, [
                { receipt: 'RC1', at: '2024-03-15 09:00', site: 'ML-BKO-HDB', mode: 'Espèces', lines: [{ svc: 'Consultation', amt: 5000 }, { svc: 'Pharmacie', amt: 1250 }] },
                { receipt: 'RC2', at: '2024-03-15 09:30', site: 'ML-BKO-HDB', mode: 'OM', lines: [{ svc: 'Examens', amt: 7500 }] },
            ])
        }
        send(404, {})
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))
beforeEach(() => {
    requests.length = 0
    failNext = 0
})

const MAPPING = `
      mapping:
        columns: { id: transaction_id, paid_at: occurred_at, updated_at: updated_at, facility.code: facility_code, method: channel, service: service, amount: amount_xof, status: status, payer.phone: payer_msisdn }
        values:
          channel: { orange_money: ORANGE_MONEY }
          status: { paid: SUCCESS, pending: PENDING }`

const source = (path: string, more: string) => `
ledger:
  sources:
    - type: http
      name: api-caisse
      url: ${base}${path}
      retries: 1
${more}
${MAPPING}
`

describe('HTTP JSON source', () => {
    test('page paging with a bearer token from the environment; nested fields; the since-cursor after commit', async () => {
        const yaml = source(
            '/api/payments',
            `      auth: { type: bearer, tokenEnv: CAISSE_TOKEN }
      items: data
      total: meta.total
      paging: { type: page, param: page, sizeParam: pageSize, size: 10 }
      since: { param: updated_since, field: updated_at }`
        )
        const db = stateDb()
        const env = { CAISSE_TOKEN: 'good-token' }
        const [src] = await open(yaml, db, [], { env })
        const r = await collect(src)
        expect(r.quarantine).toEqual([])
        expect(r.lines.map((l) => l.transactionId)).toEqual(PAYMENTS.map((p) => p.id))
        expect(r.lines[1]).toMatchObject({ facilityCode: 'ML-BKO-HDB', channel: 'ORANGE_MONEY', service: 'CONSULTATION', amountXof: 2000, occurredAt: '2024-03-15T08:15:00.000Z' })
        expect(r.lines[5].status).toBe('PENDING')
        expect(requests.map((q) => new URL(q, 'http://x').searchParams.get('page'))).toEqual(['1', '2', '3'])
        expect(r.json).not.toMatch(/7600/)
        // Without commit, the next run asks from the start again.
        const [again] = await open(yaml, db, [], { env })
        requests.length = 0
        expect((await collect(again)).lines).toHaveLength(23)
        expect(requests[0]).not.toMatch(/updated_since/)
        again.commit(db)
        // After commit: only what changed since the latest updated_at read (inclusive on the API's side).
        const [next] = await open(yaml, db, [], { env })
        requests.length = 0
        const r2 = await collect(next)
        expect(requests[0]).toMatch(/updated_since=2024-03-15T13(:|%3A)31(:|%3A)00Z/)
        expect(r2.lines.map((l) => l.transactionId)).toEqual(['P023'])
    })

    test('offset paging over a bare array; a 503 is retried', async () => {
        failNext = 1
        const [src] = await open(source('/api/offset', `      paging: { type: offset, size: 7 }`))
        const r = await collect(src)
        expect(r.lines).toHaveLength(23)
        expect(requests.filter((q) => q.startsWith('/api/offset'))).toHaveLength(5) // 1 failed + 4 pages (7, 7, 7, 2)
    })

    test('cursor paging with Basic credentials', async () => {
        const [src] = await open(
            source('/api/cursor', `      auth: { type: basic, username: bridge, passwordEnv: CAISSE_PW }\n      items: result.items\n      paging: { type: cursor, next: next }`),
            stateDb(),
            [],
            { env: { CAISSE_PW: 'pa55' } }
        )
        expect((await collect(src)).lines.map((l) => l.transactionId)).toEqual(PAYMENTS.map((p) => p.id))
        expect(requests).toHaveLength(3)
    })

    test('a receipt with lines: one ledger row per line, line_no from the position', async () => {
        const [src] = await open(`
ledger:
  sources:
    - type: http
      name: recus
      url: ${base}/api/receipts
      explode: lines
      mapping:
        columns: { receipt: transaction_id, at: occurred_at, site: facility_code, mode: channel, lines.svc: service, lines.amt: amount_xof }
`)
        const r = await collect(src)
        expect(r.lines.map((l) => [l.transactionId, l.lineNo, l.service, l.amountXof, l.channel])).toEqual([
            ['RC1', 1, 'CONSULTATION', 5000, 'CASH'],
            ['RC1', 2, 'PHARMACY', 1250, 'CASH'],
            ['RC2', 1, 'EXAM', 7500, 'ORANGE_MONEY'],
        ])
    })

    test('a bad token: clear bilingual error naming the variable, never the token', async () => {
        const yaml = source('/api/payments', `      auth: { type: bearer, tokenEnv: CAISSE_TOKEN }\n      items: data\n      paging: { type: page }`)
        const [src] = await open(yaml, stateDb(), [], { env: { CAISSE_TOKEN: 'S3cret-token' } })
        const err = await collect(src).catch((e) => e)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/access denied .*HTTP 401.*CAISSE_TOKEN/)
        expect(err.reason.fr).toMatch(/accès refusé .*CAISSE_TOKEN/)
        expect(JSON.stringify(err.reason)).not.toMatch(/S3cret/)
        const [unset] = await open(yaml, stateDb(), [], { env: {} })
        expect((await collect(unset).catch((e) => e)).reason.en).toMatch(/CAISSE_TOKEN is not set/)
    })

    test('a wrong items path and an unreachable API are clear errors', async () => {
        const [src] = await open(source('/api/offset', `      items: data.rows`))
        expect((await collect(src).catch((e) => e)).reason.en).toMatch(/no list at "data.rows": fix "items"/)
        const [down] = await open(source('/api/offset', '').replace(base, 'http://127.0.0.1:9'))
        const err = await collect(down).catch((e) => e)
        expect(err.reason.en).toMatch(/unreachable \(ECONNREFUSED\) after 2 attempt/)
    })
})
