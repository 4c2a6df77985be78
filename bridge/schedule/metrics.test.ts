import { BridgeMetrics } from './metrics'

test('the drift gauge appears once a verify ran, with the drift left after repair', () => {
    const m = new BridgeMetrics()
    expect(m.render()).not.toMatch(/revenue_bridge_drifted_values/)
    m.recordVerify(3, new Date('2026-11-23T10:00:00Z'))
    expect(m.render()).toMatch(/^# TYPE revenue_bridge_drifted_values gauge\nrevenue_bridge_drifted_values 3$/m)
    expect(m.render()).toMatch(/^revenue_bridge_last_verify_timestamp_seconds 1795428000$/m)
})
