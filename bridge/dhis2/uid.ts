import { randomInt } from 'node:crypto'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const ALPHANUMERIC = LETTERS + '0123456789'

/** A DHIS2 UID: 11 characters, a letter first (what CodeGenerator produces on the server). */
export function generateUid(): string {
    let uid = LETTERS[randomInt(LETTERS.length)]
    for (let i = 1; i < 11; i++) uid += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]
    return uid
}

export const isUid = (s: string): boolean => /^[a-zA-Z][a-zA-Z0-9]{10}$/.test(s)
