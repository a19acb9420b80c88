import { serverSystem } from '../real-servers/server-system.js'
import { findMysql } from './mysql-binaries.js'
import { mysqlTemplate } from './mysql-datadir-template.js'
import { mysqlDialect } from './mysql-dialect.js'

/**
 * Real Oracle MySQL servers on 127.0.0.1: local processes (setup/install-mysql.sh's, or `--mysqld`), or containers of
 * an image (`--image`; `official` is mysql:8.4).
 */
export const mysqlSystem = serverSystem({
  name: 'mysql',
  dialect: mysqlDialect,
  findLocal(binary) {
    const binaries = findMysql(binary ?? undefined)
    return { binary: binaries.mysqld, version: binaries.version, templateDatadir: () => mysqlTemplate(binaries) }
  },
  officialImage: 'mysql:8.4',
  containers: () => import('../containers/container-support.js').then((m) => m.containerSupport),
})
