import i18n from '@dhis2/d2-i18n'
import { Button, CircularLoader, NoticeBox } from '@dhis2/ui'
import React from 'react'
import { classifyError, type ClassifiedError, type ErrorKind } from '../analytics/errors'
import styles from './states.module.css'

export function LoadingState({ label }: { label?: string }) {
    return (
        <div className={styles.loading} data-test="loading-state" role="status" aria-live="polite">
            <div className={styles.loadingInner}>
                <CircularLoader small />
                <span className={styles.loadingLabel}>{label ?? i18n.t('Loading…')}</span>
            </div>
        </div>
    )
}

export function EmptyState({ message, title }: { message?: string; title?: string }) {
    return (
        <div className={styles.notice} data-test="empty-state">
            <NoticeBox title={title ?? i18n.t('No data')}>{message ?? i18n.t('No data for this period — has the bridge run?')}</NoticeBox>
        </div>
    )
}

function errorText(e: ClassifiedError): { title: string; body: string } {
    const kind: ErrorKind = e.kind
    switch (kind) {
        case 'analytics-tables-missing':
            return {
                title: i18n.t('Analytics tables not generated'),
                body: i18n.t(
                    'The analytics tables have not been generated yet. Ask the administrator to run analytics (Data Administration → Analytics Tables → Start export).'
                ),
            }
        case 'no-access':
            return {
                title: i18n.t('No access'),
                body: i18n.t(
                    'You do not have access to these data. Ask the administrator for access to the organisation unit and to the hospital revenue data set.'
                ),
            }
        case 'too-many-rows':
            return {
                title: i18n.t('Selection too large'),
                body: i18n.t('The answer exceeds the analytics row limit of the server. Choose a smaller organisation unit or a shorter period.'),
            }
        case 'network':
            return {
                title: i18n.t('Server unreachable'),
                body: i18n.t('The DHIS2 server could not be reached. Check the connection and try again.'),
            }
        case 'not-found':
            return { title: i18n.t('Not found'), body: i18n.t('The server answered "not found" ({{message}}).', { message: e.message }) }
        case 'invalid-response':
            return { title: i18n.t('Unexpected answer'), body: i18n.t('The server sent an answer the app cannot read ({{message}}).', { message: e.message }) }
        case 'unknown':
            return { title: i18n.t('Error'), body: i18n.t('Something went wrong ({{message}}).', { message: e.message }) }
    }
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
    const classified = classifyError(error)
    const { title, body } = errorText(classified)
    return (
        <div className={styles.notice} data-test="error-state" data-error-kind={classified.kind}>
            <NoticeBox error={classified.kind !== 'analytics-tables-missing'} warning={classified.kind === 'analytics-tables-missing'} title={title}>
                <p className={styles.body}>{body}</p>
                {classified.errorCode || classified.status ? (
                    <p className={styles.code}>
                        {[classified.status, classified.errorCode].filter(Boolean).join(' · ')}
                    </p>
                ) : null}
                {onRetry && classified.kind !== 'no-access' ? (
                    <Button small onClick={() => onRetry()} dataTest="retry-button">
                        {i18n.t('Try again')}
                    </Button>
                ) : null}
            </NoticeBox>
        </div>
    )
}
