import i18n from '@dhis2/d2-i18n'
import { Button, Modal, ModalActions, ModalContent, ModalTitle, OrganisationUnitTree } from '@dhis2/ui'
import React, { useState } from 'react'
import type { OrgUnitRef } from '../metadata/metadata'
import styles from './context-bar.module.css'

/** Ancestor paths of `/a/b/c`: `/a`, `/a/b` (to open the tree down to the selection). */
export function ancestorPaths(path: string): string[] {
    const parts = path.split('/').filter(Boolean)
    return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)
}

interface Props {
    roots: OrgUnitRef[]
    isUserDataViewFallback: boolean
    selected: OrgUnitRef
    onSelect: (unit: OrgUnitRef) => void
}

/** The selected unit as a button; the tree (limited to the user's units) opens in a modal. */
export function OrgUnitPicker({ roots, isUserDataViewFallback, selected, onSelect }: Props) {
    const [open, setOpen] = useState(false)
    return (
        <div className={styles.field}>
            <span className={styles.label} id="ou-picker-label">
                {i18n.t('Organisation unit')}
            </span>
            <Button
                onClick={() => setOpen(true)}
                dataTest="org-unit-button"
                // The name read out holds the visible text (WCAG 2.5.3): "Organisation unit, <name>".
                aria-labelledby="ou-picker-label ou-picker-value"
                className={styles.ouButton}
            >
                <span id="ou-picker-value">{selected.name}</span>
            </Button>
            {open ? (
                <Modal onClose={() => setOpen(false)} position="middle" dataTest="org-unit-modal">
                    <ModalTitle>{i18n.t('Choose an organisation unit')}</ModalTitle>
                    <ModalContent>
                        <OrganisationUnitTree
                            roots={roots.map((r) => r.id)}
                            isUserDataViewFallback={isUserDataViewFallback}
                            singleSelection
                            selected={selected.path ? [selected.path] : []}
                            initiallyExpanded={selected.path ? ancestorPaths(selected.path) : []}
                            dataTest="org-unit-tree"
                            onChange={({ id, displayName, path }) => {
                                onSelect({ id, name: displayName, path, level: path.split('/').filter(Boolean).length })
                                setOpen(false)
                            }}
                        />
                    </ModalContent>
                    <ModalActions>
                        <Button secondary onClick={() => setOpen(false)}>
                            {i18n.t('Cancel')}
                        </Button>
                    </ModalActions>
                </Modal>
            ) : null}
        </div>
    )
}
