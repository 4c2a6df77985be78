/** The DHIS2 version the stand-in imitates, and the behaviour switches of reference §13. */
export interface VersionInfo {
    /** As reported by /api/system/info, e.g. "2.41.3". */
    version: string
    minor: number
    patch: number
    /** `rejectedIndexes` in ImportSummary: from 2.39.2 and 2.40.1. */
    rejectedIndexes: boolean
    /** Unchanged re-post counted as ignored (2.39.5+, 2.40.3+, 2.41+), else as updated. */
    unchangedIgnored: boolean
    /** 2.41+: job-progress notifications, `Initiated DATAVALUE_IMPORT (<ms>)`, d2p_ tokens, 400 on bad PAT. */
    modernJobs: boolean
    /** 2.42: 403 message names the authority, `userCredentials` gone, `responseType: JobConfiguration`, expiry + 1 day. */
    v42: boolean
    loginPath: string
}

export function parseVersion(version: string): VersionInfo {
    const m = /^2\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-SNAPSHOT)?$/.exec(version.trim())
    if (!m) throw new Error(`Unsupported DHIS2 version "${version}" (expected 2.39.x … 2.42.x)`)
    const minor = Number(m[1])
    const patch = m[2] === undefined ? 0 : Number(m[2])
    if (minor < 39 || minor > 42) throw new Error(`Unsupported DHIS2 version "${version}" (expected 2.39.x … 2.42.x)`)
    return {
        version: version.trim(),
        minor,
        patch,
        rejectedIndexes: minor >= 41 || (minor === 40 && patch >= 1) || (minor === 39 && patch >= 2),
        unchangedIgnored: minor >= 41 || (minor === 40 && patch >= 3) || (minor === 39 && patch >= 5),
        modernJobs: minor >= 41,
        v42: minor >= 42,
        loginPath: minor <= 40 ? '/dhis-web-commons/security/login.action' : minor === 41 ? '/dhis-web-login' : '/dhis-web-login/',
    }
}
