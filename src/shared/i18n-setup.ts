import i18n from '@dhis2/d2-i18n'

// The generated translations live in the 'default' namespace; the app adapter selects it too, but
// the app should not depend on that (tests render it without the adapter).
i18n.setDefaultNamespace('default')

// React escapes text itself; i18next's own HTML escaping of interpolated values would show
// "23&#x2F;11&#x2F;2026" for a date or "d&#39;" in a facility name. The app never renders
// translations as HTML.
i18n.options.interpolation = { ...(i18n.options.interpolation ?? {}), escapeValue: false }
;(i18n as unknown as { services?: { interpolator?: { init: (o: unknown, reset?: boolean) => void } } }).services?.interpolator?.init(
    i18n.options,
    true
)
