/**
 * Indicators in analytics (docs/dhis2-native.md): a `dx` item that is an indicator UID is computed
 * per cell as DHIS2 does (dhis2-core DataHandler.addIndicatorValues → ExpressionService
 * .getIndicatorValueObject): each operand of the numerator and the denominator is aggregated over
 * the cell's periods and org units first, the expressions are evaluated with the missing-value
 * strategy SKIP_IF_ALL_VALUES_MISSING (an expression whose operands are all missing has no value;
 * a missing operand among present ones counts as 0), and value = numerator × factor ÷ denominator
 * (no value when the denominator is 0 or missing). Rounding: the indicator's `decimals` when set,
 * else 2 decimals; the result is a Java double, so a whole value prints as "124.0".
 */
import type { MetadataStore, StoredObject } from './metadata/store'
import { refId } from './metadata/store'

export type Expr =
    | { kind: 'num'; value: number }
    | { kind: 'operand'; de: string; coc: string | null }
    | { kind: 'neg'; arg: Expr }
    | { kind: 'bin'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }

/** Parses the indicator expression subset the stand-in evaluates: `#{de}`, `#{de.coc}`, numbers, + - * / ( ). */
export function parseExpression(text: string): Expr {
    let i = 0
    const ws = () => {
        while (i < text.length && /\s/.test(text[i])) i++
    }
    const fail = (what: string): never => {
        throw new Error(`Invalid expression at ${i}: ${what} in \`${text}\``)
    }
    const primary = (): Expr => {
        ws()
        if (text[i] === '(') {
            i++
            const e = sum()
            ws()
            if (text[i] !== ')') fail('expected )')
            i++
            return e
        }
        if (text[i] === '-') {
            i++
            return { kind: 'neg', arg: primary() }
        }
        if (text.startsWith('#{', i)) {
            const end = text.indexOf('}', i)
            if (end < 0) fail('unclosed #{')
            const [de, coc, ...rest] = text.slice(i + 2, end).split('.')
            if (!de || rest.length > 1 || coc === '') fail('bad operand')
            i = end + 1
            return { kind: 'operand', de, coc: coc && coc !== '*' ? coc : null }
        }
        const m = /^\d+(\.\d+)?/.exec(text.slice(i))
        if (!m) fail('expected a number, an operand or (')
        i += m![0].length
        return { kind: 'num', value: Number(m![0]) }
    }
    const product = (): Expr => {
        let left = primary()
        for (ws(); text[i] === '*' || text[i] === '/'; ws()) {
            const op = text[i++] as '*' | '/'
            left = { kind: 'bin', op, left, right: primary() }
        }
        return left
    }
    const sum = (): Expr => {
        let left = product()
        for (ws(); text[i] === '+' || text[i] === '-'; ws()) {
            const op = text[i++] as '+' | '-'
            left = { kind: 'bin', op, left, right: product() }
        }
        return left
    }
    const e = sum()
    ws()
    if (i !== text.length) fail('unexpected text')
    return e
}

export function operandsOf(e: Expr): Array<{ de: string; coc: string | null }> {
    switch (e.kind) {
        case 'operand':
            return [e]
        case 'neg':
            return operandsOf(e.arg)
        case 'bin':
            return [...operandsOf(e.left), ...operandsOf(e.right)]
        default:
            return []
    }
}

/** The aggregated value of one operand in a cell, or undefined when no value matched it. */
export type OperandValue = (de: string, coc: string | null) => number | undefined

function evaluate(e: Expr, value: OperandValue): number {
    switch (e.kind) {
        case 'num':
            return e.value
        case 'operand':
            return value(e.de, e.coc) ?? 0
        case 'neg':
            return -evaluate(e.arg, value)
        case 'bin': {
            const a = evaluate(e.left, value)
            const b = evaluate(e.right, value)
            return e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : a / b
        }
    }
}

/** SKIP_IF_ALL_VALUES_MISSING: null when the expression has operands and none has a value. */
function expressionValue(e: Expr, value: OperandValue): number | null {
    const ops = operandsOf(e)
    if (ops.length && ops.every((o) => value(o.de, o.coc) === undefined)) return null
    const v = evaluate(e, value)
    return Number.isFinite(v) ? v : null
}

export interface CompiledIndicator {
    indicator: StoredObject
    numerator: Expr | null
    denominator: Expr | null
    factor: number
    decimals: number | null
}

export function compileIndicator(store: MetadataStore, indicator: StoredObject): CompiledIndicator {
    const safe = (t: unknown) => {
        try {
            return typeof t === 'string' ? parseExpression(t) : null
        } catch {
            return null
        }
    }
    const type = store.get('indicatorTypes', refId(indicator.indicatorType))
    return {
        indicator,
        numerator: safe(indicator.numerator),
        denominator: safe(indicator.denominator),
        factor: Number(type?.factor ?? 1),
        decimals: typeof indicator.decimals === 'number' ? indicator.decimals : null,
    }
}

export interface IndicatorResult {
    value: number
    numerator: number
    denominator: number
    factor: number
}

export function indicatorValue(c: CompiledIndicator, value: OperandValue): IndicatorResult | null {
    if (!c.numerator || !c.denominator) return null
    const denominator = expressionValue(c.denominator, value)
    const numerator = expressionValue(c.numerator, value)
    if (denominator === null || denominator === 0 || numerator === null) return null
    return { value: (numerator * c.factor) / denominator, numerator, denominator, factor: c.factor }
}

/** DHIS2's indicator rounding and Java's double printing ("124.0", never an exponent below 1e7). */
export function formatIndicatorNumber(v: number, decimals: number | null, skipRounding: boolean): string {
    const places = skipRounding ? 10 : (decimals ?? 2)
    const r = Number(`${Math.round(Number(`${Math.abs(v)}e${places}`))}e-${places}`) * Math.sign(v)
    if (decimals === 0 && !skipRounding) return String(Math.round(r))
    if (Number.isInteger(r)) return `${r === 0 ? 0 : r}.0`
    return String(r)
}

/** Whether a data value feeds one of the indicator's operands (so the cell must see it). */
export function feedsIndicator(c: CompiledIndicator, de: string, coc: string): boolean {
    for (const e of [c.numerator, c.denominator]) {
        if (e && operandsOf(e).some((o) => o.de === de && (o.coc === null || o.coc === coc))) return true
    }
    return false
}
