import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The Node.js major a run ran on (`node 22`), read from its test.json (`build.node`, e.g. `v22.11.0`); null when the
 * folder does not say. A CI job matrix runs the same system on several Node versions: this tells their results apart.
 */
export function runtimeOfRun(runFolder: string): string | null {
  try {
    const test = JSON.parse(readFileSync(join(runFolder, 'test.json'), 'utf8')) as { build?: { node?: unknown } }
    const version = test.build?.node
    const major = typeof version === 'string' ? /^v?(\d+)\./.exec(version)?.[1] : undefined
    return major === undefined ? null : `node ${major}`
  } catch {
    return null
  }
}
