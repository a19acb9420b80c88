import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Removes containers synchronously, for exit handlers where nothing can be awaited: a short-lived Node process does it
 * through the engine's API, and this one waits for it, at most 60 s (a loaded machine once took more than 30). From
 * the sources (no compiled .js beside this file) the child runs the .ts entry through tsx, as the project's own
 * scripts do.
 */
export function removeContainersNow(ids: readonly string[]): void {
  if (ids.length === 0) return
  const compiled = fileURLToPath(new URL('./remove-containers-main.js', import.meta.url))
  const entry = existsSync(compiled) ? [compiled] : ['--import', 'tsx', compiled.replace(/\.js$/, '.ts')]
  spawnSync(process.execPath, [...entry, ...ids], { stdio: 'ignore', timeout: 60_000 })
}
