import fs from 'node:fs'
import path from 'node:path'
import { configSchema } from '../config/schema'
import { lmisTarget, productCatalog, stockConfigSchema } from './config'

describe('stock configuration', () => {
    it('has defaults: no mapping, MEDEXIS path, LMIS off, 10 % gap', () => {
        const cfg = configSchema.parse({}).stock
        expect(cfg.products).toEqual([])
        expect(cfg.medexis.path).toBe('/stock-outflows/{id}')
        expect(cfg.medexis.auth).toBe('auto')
        expect(cfg.lmis.facilities).toEqual([])
        expect(cfg.reconcile.gapThresholdPercent).toBe(10)
    })

    it.each([
        [{ products: [{ ledgerCode: 'A' }, { ledgerCode: 'A' }] }, 'duplicate'],
        [{ products: [{ ledgerCode: 'A', lmis: { dataElement: 'DE', factor: 0 } }] }, 'factor'],
        [{ products: [{ ledgerCode: 'A', lmis: { dataElement: 'DE', factor: -2 } }] }, 'factor'],
        [{ products: [{ ledgerCode: 'A', medexisCode: 'M', unit: 'cp' }, { ledgerCode: 'B', medexisCode: 'M', unit: 'boîte' }] }, 'differ'],
        [{ lmis: { facilities: ['ML-BKO-HDB'] } }, 'dataSet'],
        [{ medexis: { path: '/stock-outflows' } }, '{id}'],
        [{ medexis: { token: 'secret' } }, 'token'],
        [{ products: [{ ledgerCode: 'A', price: 3 }] }, 'price'],
    ])('rejects %j', (stock, hint) => {
        const r = stockConfigSchema.safeParse(stock)
        expect(r.success).toBe(false)
        expect(JSON.stringify(r.error!.issues)).toContain(hint)
    })

    it('maps ledger codes to MEDEXIS codes, the ledger code itself when unmapped', () => {
        const c = productCatalog(stockConfigSchema.parse({ products: [{ ledgerCode: 'AMOX-CP', medexisCode: 'MX1' }] }))
        expect(c.medexisCode('AMOX-CP')).toBe('MX1')
        expect(c.medexisCode('PARA500')).toBe('PARA500')
        expect(c.byMedexisCode('MX1')?.ledgerCode).toBe('AMOX-CP')
    })

    it('finds LMIS variables in both shapes: option combo per variable, or element per variable', () => {
        const cfg = stockConfigSchema.parse({
            lmis: { dataSet: 'LMIS', categoryOptionCombos: { dispensed: 'DISTRIB', stockOnHand: 'SDU' } },
            products: [
                { ledgerCode: 'A', lmis: { dataElement: 'DE_A' } },
                { ledgerCode: 'B', lmis: { dataElement: 'DE_B_DISP', categoryOptionCombo: 'default', stockOutDays: { dataElement: 'DE_B_JR' }, stockOnHand: { dataElement: 'DE_B_SDU' } } },
            ],
        })
        const [a, b] = cfg.products
        expect(lmisTarget(cfg, a, 'dispensed')).toEqual({ dataElement: 'DE_A', categoryOptionCombo: 'DISTRIB' })
        expect(lmisTarget(cfg, a, 'stockOnHand')).toEqual({ dataElement: 'DE_A', categoryOptionCombo: 'SDU' })
        expect(lmisTarget(cfg, a, 'stockOutDays')).toBeNull()
        expect(lmisTarget(cfg, b, 'dispensed')).toEqual({ dataElement: 'DE_B_DISP', categoryOptionCombo: 'default' })
        expect(lmisTarget(cfg, b, 'stockOutDays')).toEqual({ dataElement: 'DE_B_JR', categoryOptionCombo: null })
        expect(lmisTarget(cfg, b, 'stockOnHand')).toEqual({ dataElement: 'DE_B_SDU', categoryOptionCombo: null })
        expect(lmisTarget(cfg, undefined, 'dispensed')).toBeNull()
    })
})

describe('docs/stock.md', () => {
    it('documents a configuration the bridge accepts', () => {
        const text = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'stock.md'), 'utf8')
        const block = text.split('```json').slice(1).map((b) => b.split('```')[0]).find((b) => b.includes('"stock"'))
        expect(block).toBeDefined()
        const parsed = configSchema.safeParse(JSON.parse(block!))
        expect(parsed.success ? [] : parsed.error.issues).toEqual([])
    })
})
