import { serverSystem } from '../real-servers/server-system.js'
import { mariadbTemplate } from './datadir-template.js'
import { findMariadb } from './mariadb-binaries.js'
import { mariadbDialect } from './mariadb-dialect.js'

/**
 * Real MariaDB servers on 127.0.0.1: local processes (Debian's mariadbd, or `--mariadbd`), or containers of an image
 * (`--image`; `official` is mariadb:11.4).
 */
export const mariadbSystem = serverSystem({
  name: 'mariadb',
  dialect: mariadbDialect,
  findLocal(binary) {
    const binaries = findMariadb(binary ?? undefined)
    return { binary: binaries.mariadbd, version: binaries.version, templateDatadir: () => mariadbTemplate(binaries) }
  },
  officialImage: 'mariadb:11.4',
  containers: () => import('../containers/container-support.js').then((m) => m.containerSupport),
})
