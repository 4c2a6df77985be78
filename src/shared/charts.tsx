import React from 'react'
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { ChannelPoint, ServiceShare } from '../compute/kpis'
import { useAppContext } from './app-context'
import { CHANNELS, SERVICES, type Channel, type Service } from '@recettes/contract'
import { channelLabel, serviceLabel } from './labels'
import styles from './charts.module.css'
import { PRINT_CHART_WIDTH, usePrintMode } from './use-print-mode'

/** Operator colours where there is one (Orange, Moov blue), neutral greys for cash and other. */
export const CHANNEL_COLORS: Record<Channel, string> = {
    CASH: '#6b7b8c',
    ORANGE_MONEY: '#ff7900',
    MOOV_MONEY: '#0061b0',
    SAMA_MONEY: '#1b9e5a',
    CARD: '#7b3fa0',
    OTHER: '#b8c3cf',
}

export const SERVICE_COLORS: Record<Service, string> = {
    CONSULTATION: '#147cd7',
    EXAM: '#00897b',
    PHARMACY: '#f2a900',
    HOSPITALISATION: '#c62828',
    OTHER: '#a0adba',
}

interface StackedProps {
    data: ChannelPoint[]
    /** How a value is shown in the tooltip (money or count). */
    format: (n: number) => string
    title: string
    dataTest: string
}

/** Monthly bars stacked by channel (revenue trend, counts over time). */
export function StackedChannelChart({ data, format, title, dataTest }: StackedProps) {
    const { fmt } = useAppContext()
    const printing = usePrintMode()
    const rows = data.map((p) => ({ ...p, label: fmt.month(p.pe) }))
    return (
        <figure className={styles.figure} data-test={dataTest}>
            <figcaption className={styles.caption}>{title}</figcaption>
            <div className={styles.chart} role="img" aria-label={title}>
                <ResponsiveContainer width={printing ? PRINT_CHART_WIDTH : '100%'} height="100%">
                    <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={8} />
                        <YAxis tickFormatter={(v: number) => fmt.compact(v)} tick={{ fontSize: 11 }} width={52} />
                        <Tooltip formatter={(v) => format(Number(v))} />
                        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
                        {CHANNELS.map((c) => (
                            <Bar key={c} dataKey={c} name={channelLabel(c)} stackId="total" fill={CHANNEL_COLORS[c]} isAnimationActive={false} />
                        ))}
                    </BarChart>
                </ResponsiveContainer>
            </div>
        </figure>
    )
}

/** Gross revenue by service: a donut, with the figures in the list beside it. */
export function ServiceMixChart({ mix, title }: { mix: ServiceShare[]; title: string }) {
    const { fmt } = useAppContext()
    const data = mix.filter((m) => m.value > 0).map((m) => ({ name: serviceLabel(m.service), value: m.value, service: m.service }))
    return (
        <figure className={styles.figure} data-test="service-mix">
            <figcaption className={styles.caption}>{title}</figcaption>
            <div className={styles.mix}>
                <div className={styles.pie} role="img" aria-label={title}>
                    <ResponsiveContainer width="100%" height="100%">
                        <PieChart>
                            <Pie data={data} dataKey="value" nameKey="name" innerRadius="55%" outerRadius="90%" isAnimationActive={false}>
                                {data.map((d) => (
                                    <Cell key={d.service} fill={SERVICE_COLORS[d.service]} />
                                ))}
                            </Pie>
                            <Tooltip formatter={(v) => fmt.money(Number(v))} />
                        </PieChart>
                    </ResponsiveContainer>
                </div>
                <ul className={styles.legendList}>
                    {SERVICES.map((s) => mix.find((m) => m.service === s)!)
                        .sort((a, b) => b.value - a.value)
                        .map((m) => (
                            <li key={m.service} data-test={`service-mix-${m.service.toLowerCase()}`}>
                                <span className={styles.swatch} style={{ background: SERVICE_COLORS[m.service] }} aria-hidden="true" />
                                <span className={styles.legendName}>{serviceLabel(m.service)}</span>
                                <span className={styles.legendValue} data-test={`service-mix-${m.service.toLowerCase()}-value`}>
                                    {fmt.money(m.value)}
                                </span>
                                <span className={styles.legendShare} data-test={`service-mix-${m.service.toLowerCase()}-share`}>
                                    {fmt.percent(m.share)}
                                </span>
                            </li>
                        ))}
                </ul>
            </div>
        </figure>
    )
}
