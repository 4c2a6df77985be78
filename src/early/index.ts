// The entry of the early start, a module script of index.html (config/vite-preload.mjs).
import { startEarly } from './early-start'

const baseUrl = document.querySelector('meta[name="dhis2-base-url"]')?.getAttribute('content')
void startEarly(baseUrl, window.location.hash, new Date())
