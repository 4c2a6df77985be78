import type { Bilingual } from '../domain/line'
import { quoteValue, trimmed } from './text'

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: Bilingual }

/** Thousands separators written between groups of three digits: space, no-break space, narrow no-break space, thin space. */
const SP = '[ \\u00A0\\u202F\\u2009]'
const SPACE_GROUPED = new RegExp(`^(\\d{1,3}(?:${SP}\\d{3})+)(?:[.,](\\d+))?$`)
const DOT_GROUPED = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$/
const COMMA_GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/
const DECIMAL = /^(\d+)(?:[.,](\d+))?$/

/** The value of a string of 1 to 15 ASCII digits (always a safe integer), or -1. */
function digitsValue(s: string): number {
    const n = s.length
    if (n === 0 || n > 15) return -1
    let v = 0
    for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i) - 48
        if (c < 0 || c > 9) return -1
        v = v * 10 + c
    }
    return v
}

/**
 * A whole FCFA amount ≥ 0 (docs/contract.md §2): `12500`, `12 500` (space, U+00A0, U+202F; U+2009 too),
 * `12500,00`, `12.500`, `12.500,00`. A '.' or ',' followed by exactly three digits, in groups
 * after 1–3 leading digits, is a thousands separator (`12.500` per the contract, and `12,500` the same
 * way); any other '.' or ',' is a decimal mark, and its fraction must be zero.
 */
export function parseAmount(text: string): Parsed<number> {
    const s = trimmed(text)
    const plain = digitsValue(s)
    if (plain >= 0) return { ok: true, value: plain }
    if (/^\d+$/.test(s)) {
        const v = Number(s)
        if (Number.isSafeInteger(v)) return { ok: true, value: v }
    }
    const q = quoteValue(text)
    if (/^[-\u2212]/.test(s) || /^\(.*\)$/.test(s)) {
        return { ok: false, reason: { fr: `Montant négatif « ${q} » : un montant est ≥ 0 (un remboursement s'écrit avec type = REFUND)`, en: `Negative amount "${q}": amounts are ≥ 0 (a refund is written with type = REFUND)` } }
    }
    const m = SPACE_GROUPED.exec(s) ?? DOT_GROUPED.exec(s) ?? COMMA_GROUPED.exec(s) ?? DECIMAL.exec(s)
    if (!m) {
        return {
            ok: false,
            reason: {
                fr: `Montant invalide « ${q} » : attendu un nombre entier de FCFA (ex. 12500, 12 500, 12.500 ou 12500,00)`,
                en: `Invalid amount "${q}": expected a whole number of FCFA (e.g. 12500, 12 500, 12.500 or 12500,00)`,
            },
        }
    }
    if (m[2] && /[1-9]/.test(m[2])) {
        return { ok: false, reason: { fr: `Montant invalide « ${q} » : les FCFA n'ont pas de centimes`, en: `Invalid amount "${q}": FCFA has no minor unit` } }
    }
    const value = Number(m[1].replace(/\D/g, ''))
    if (!Number.isSafeInteger(value)) {
        return { ok: false, reason: { fr: `Montant trop grand « ${q} »`, en: `Amount too large "${q}"` } }
    }
    return { ok: true, value }
}

const QUANTITY = new RegExp(`^(?:\\d+|\\d{1,3}(?:${SP}\\d{3})+)(?:[.,]\\d+)?$`)

/**
 * A dispensed quantity > 0. Dispensing units may be fractional (2,5 ml), so both '.' and ','
 * are decimal marks here (never thousands separators); thousands may be grouped with spaces.
 */
export function parseQuantity(text: string): Parsed<number> {
    const s = trimmed(text)
    const plain = digitsValue(s)
    if (plain > 0) return { ok: true, value: plain }
    // Quoted only for a message: most quantities are valid.
    const bad = (fr: string, en: string): Parsed<number> => {
        const q = quoteValue(text)
        return { ok: false, reason: { fr: `Quantité invalide « ${q} » : ${fr}`, en: `Invalid quantity "${q}": ${en}` } }
    }
    if (/^[-\u2212]\s*\d/.test(s)) return bad('une quantité vendue est positive', 'a quantity sold is positive')
    if (!QUANTITY.test(s)) return bad('attendu un nombre positif (ex. 30 ou 2,5)', 'expected a positive number (e.g. 30 or 2.5)')
    const value = Number(s.replace(/[ \u00A0\u202F\u2009]/g, '').replace(',', '.'))
    if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER) return bad('nombre trop grand', 'number too large')
    if (value <= 0) return bad('une quantité vendue est positive (> 0)', 'a quantity sold is positive (> 0)')
    return { ok: true, value }
}

/** line_no: an integer ≥ 1 written in digits. */
export function parseLineNo(text: string): Parsed<number> {
    const s = trimmed(text)
    const plain = digitsValue(s)
    const value = plain >= 0 ? plain : /^\d+$/.test(s) ? Number(s) : NaN
    if (!Number.isSafeInteger(value) || value < 1) {
        const q = quoteValue(text)
        return { ok: false, reason: { fr: `Numéro de ligne invalide « ${q} » : attendu un entier ≥ 1`, en: `Invalid line number "${q}": expected an integer ≥ 1` } }
    }
    return { ok: true, value }
}
