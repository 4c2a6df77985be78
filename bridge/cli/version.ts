import fs from 'node:fs'
import path from 'node:path'

/** The package version, found from source (jest) or from dist/ alike. */
export function bridgeVersion(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const file = path.join(dir, 'package.json')
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string }
            if (pkg.name === 'recettes-hospitalieres') return pkg.version ?? '0.0.0'
        }
    }
    return '0.0.0'
}
