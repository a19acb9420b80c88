import { findMysql, type MysqlBinaries } from '../../../systems/mysql/mysql-binaries.js'

/** Oracle MySQL if installed (setup/install-mysql.sh). CI installs it (.ci/run), so there a missing server fails. */
export function mysqlForTests(): MysqlBinaries | null {
  try {
    return findMysql()
  } catch {
    return null
  }
}

export const SKIP_REAL_MYSQL = mysqlForTests() === null && process.env.CI !== 'true'
