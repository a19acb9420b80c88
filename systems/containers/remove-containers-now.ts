import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Removes containers synchronously, for exit handlers where nothing can be awaited: a short-lived Node process (the
 * same Node, the same loader) does it through the engine's API, and this one waits for it, at most 30 s.
 */
export function removeContainersNow(ids: readonly string[]): void {
  if (ids.length === 0) return
  const compiled = fileURLToPath(new URL('./remove-containers-main.js', import.meta.url))
  const script = existsSync(compiled) ? compiled : compiled.replace(/\.js$/, '.ts')
  spawnSync(process.execPath, [...process.execArgv, script, ...ids], { stdio: 'ignore', timeout: 30_000 })
}
