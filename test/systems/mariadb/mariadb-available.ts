import { findMariadb, type MariadbBinaries } from '../../../systems/mariadb/mariadb-binaries.js'

/** mariadbd if installed. CI installs it (.ci/run), so there a missing server fails instead of skipping. */
export function mariadbForTests(): MariadbBinaries | null {
  try {
    return findMariadb()
  } catch {
    return null
  }
}

export const SKIP_REAL_SERVERS = mariadbForTests() === null && process.env.CI !== 'true'

/** `run` on real MariaDB for a second with no faults: what the suites need when the run itself is not the point. */
export function shortMariadbRun(resultsDir: string, seed = 1): string[] {
  return [
    'run',
    '--db',
    'mariadb',
    '--time-limit',
    '1',
    '--nemesis',
    'none',
    '--seed',
    String(seed),
    '--results-dir',
    resultsDir,
  ]
}
