/**
 * The systemd unit of `revenue-bridge service install` (docs/installing.md): pure text, no I/O.
 * Hardening a careful administrator expects; the state directory is the only writable path and
 * secrets come from an EnvironmentFile (mode 600, read by systemd as root before it drops to the
 * service user), never from the unit itself.
 */
export interface UnitOptions {
    /** Absolute path of the node binary and of the CLI's main.js. */
    node: string
    main: string
    user: string
    stateDir: string
    envFile: string
    /** Configuration file given to `schedule --config`, if any. */
    configFile: string | null
}

export const DEFAULTS = {
    name: 'revenue-bridge',
    user: 'revenue-bridge',
    stateDir: '/var/lib/revenue-bridge',
    envFile: '/etc/revenue-bridge/revenue-bridge.env',
    unitDir: '/etc/systemd/system',
} as const

/** systemd's quoting for an ExecStart argument (spaces, quotes, backslashes, %, $). */
function quoteArg(a: string): string {
    const escaped = a.replace(/%/g, '%%').replace(/\$/g, '$$$$')
    return /[\s"'\\]/.test(escaped) ? `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : escaped
}

export function renderUnit(o: UnitOptions): string {
    const exec = [o.node, o.main, 'schedule', ...(o.configFile ? ['--config', o.configFile] : [])].map(quoteArg).join(' ')
    return `# Written by "revenue-bridge service install"; "revenue-bridge service uninstall" removes it.
# Secrets (DHIS2_TOKEN or DHIS2_USERNAME/DHIS2_PASSWORD, DHIS2_BASE_URL) go in ${o.envFile} (mode 600).
[Unit]
Description=Revenue bridge: hospital payments to DHIS2 (revenue-bridge schedule)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${o.user}
Group=${o.user}
ExecStart=${exec}
EnvironmentFile=${o.envFile}
Environment=BRIDGE_STATE_DIR=${quoteArg(o.stateDir)}
WorkingDirectory=${o.stateDir}
# A crash restarts it; a configuration error (exit 2) keeps failing until fixed, so back off.
Restart=on-failure
RestartSec=30s
# SIGTERM lets the running sync finish its batch (docs/installing.md).
KillMode=mixed
TimeoutStopSec=10min
UMask=0077

# Hardening: the state directory is the only writable path.
ProtectSystem=strict
ReadWritePaths=${o.stateDir}
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RemoveIPC=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
SystemCallArchitectures=native
SystemCallFilter=@system-service
# No MemoryDenyWriteExecute: Node's JIT needs writable executable memory.

[Install]
WantedBy=multi-user.target
`
}

/** The environment file's first content: names only, to fill in; never a value. */
export function envFileTemplate(): string {
    return `# revenue-bridge secrets — mode 600, owner root. Fill in, then: systemctl restart revenue-bridge
# Secrets du pont — mode 600, propriétaire root. Remplir, puis : systemctl restart revenue-bridge
DHIS2_BASE_URL=
DHIS2_TOKEN=
# or / ou : DHIS2_USERNAME= and DHIS2_PASSWORD=
LANG=fr_FR.UTF-8
`
}
