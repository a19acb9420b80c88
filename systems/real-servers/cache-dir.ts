import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where slow-to-build things are kept between runs: `$SEMISYNC_CHAOS_CACHE`, else `~/.cache/semisync-chaos`. */
export function cacheDir(): string {
  return (
    process.env.SEMISYNC_CHAOS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'semisync-chaos')
  )
}
