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
