import React from 'react'
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { useAppContext } from '../shared/app-context'
import chartStyles from '../shared/charts.module.css'
import { PRINT_CHART_WIDTH, usePrintMode } from '../shared/use-print-mode'
import { reconLabel, type ReconColumn } from './recon-labels'
import type { TrendPoint } from './reconciliation'

/** The discrepancies stacked, in the order a finance officer chases them. */
const STACK: Array<{ key: ReconColumn; color: string }> = [
    { key: 'ledgerOnly', color: '#c62828' },
    { key: 'statementOnly', color: '#f2a900' },
    { key: 'amountGap', color: '#7b3fa0' },
    { key: 'cashShort', color: '#6b7b8c' },
    { key: 'cashOver', color: '#a0adba' },
]

/** Unreconciled amounts by month (bars) and the matched share (line, right axis). */
export function ReconTrendChart({ data, title }: { data: TrendPoint[]; title: string }) {
    const { fmt } = useAppContext()
    const printing = usePrintMode()
    const rows = data.map((p) => ({ ...p, label: fmt.month(p.pe), share: p.matchedShare }))
    return (
        <figure className={chartStyles.figure} data-test="recon-trend">
            <figcaption className={chartStyles.caption}>{title}</figcaption>
            <div className={chartStyles.chart} role="img" aria-label={title}>
                <ResponsiveContainer width={printing ? PRINT_CHART_WIDTH : '100%'} height="100%">
                    <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={8} />
                        <YAxis yAxisId="money" tickFormatter={(v: number) => fmt.compact(v)} tick={{ fontSize: 11 }} width={52} />
                        <YAxis yAxisId="share" orientation="right" domain={[0, 1]} tickFormatter={(v: number) => fmt.percent(v)} tick={{ fontSize: 11 }} width={48} />
                        <Tooltip formatter={(v, _name, item) => (item.dataKey === 'share' ? fmt.percent(v === null ? null : Number(v)) : fmt.money(Number(v)))} />
                        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
                        {STACK.map((s) => (
                            <Bar key={s.key} yAxisId="money" dataKey={s.key} name={reconLabel(s.key)} stackId="gap" fill={s.color} isAnimationActive={false} />
                        ))}
                        <Line
                            yAxisId="share"
                            dataKey="share"
                            name={reconLabel('matchedShare')}
                            stroke="#147cd7"
                            strokeWidth={2}
                            dot={{ r: 3 }}
                            connectNulls={false}
                            isAnimationActive={false}
                        />
                    </ComposedChart>
                </ResponsiveContainer>
            </div>
        </figure>
    )
}
