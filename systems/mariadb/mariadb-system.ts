import { findMariadb } from './mariadb-binaries.js'
import { mariadbDialect } from './mariadb-dialect.js'
import { serverSystem } from '../real-servers/server-system.js'

/** Real MariaDB servers as local processes on 127.0.0.1 (Debian's mariadbd, or `--mariadbd`). */
export const mariadbSystem = serverSystem('mariadb', (binary) => {
  const binaries = findMariadb(binary ?? undefined)
  return { version: binaries.version, dialect: () => mariadbDialect(binaries) }
})
