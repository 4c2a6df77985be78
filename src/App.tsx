// Translations generated from i18n/*.po by `d2-app-scripts build|start|i18n generate` (and by the
// tests' global set-up); src/locales is not committed.
// @ts-ignore -- generated JavaScript, absent until generated
import './locales'
import './shared/i18n-setup'
import './app/print.css'
import React from 'react'
import { AppRoot } from './app/app-root'

const App = () => <AppRoot />

export default App
