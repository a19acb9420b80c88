import type { SystemUnderTest } from '../core/cluster/system-under-test.js'

/**
 * The systems under test, one line each. A system is loaded only when a run asks for it, so `--db sim` never loads
 * mysql2 or the process code.
 */
const SYSTEMS = {
  sim: () => import('./sim/sim-system.js').then((m) => m.simSystem),
  mariadb: () => import('./mariadb/mariadb-system.js').then((m) => m.mariadbSystem),
  mysql: () => import('./mysql/mysql-system.js').then((m) => m.mysqlSystem),
} satisfies Record<string, () => Promise<SystemUnderTest>>

export type SystemName = keyof typeof SYSTEMS
export const SYSTEM_NAMES = Object.keys(SYSTEMS) as [SystemName, ...SystemName[]]

export function loadSystem(name: SystemName): Promise<SystemUnderTest> {
  return SYSTEMS[name]()
}
