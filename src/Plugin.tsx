// The dashboard plugin entry (d2.config.js `entryPoints.plugin`, `pluginType: 'DASHBOARD'`): the
// platform's plugin shell renders this component with the props the Dashboard app sends
// (dashboardItemFilters, dashboardMode, …). docs/dashboard-plugin.md.
// @ts-ignore -- generated JavaScript, absent until generated
import './locales'
import './shared/i18n-setup'
import React from 'react'
import { PluginRoot, type DashboardPluginProps } from './plugin/plugin-root'

const Plugin = (props: DashboardPluginProps) => <PluginRoot {...props} />

export default Plugin
