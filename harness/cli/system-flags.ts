import { ConfigError } from '../../core/errors/config-error.js'
import { SYSTEM_NAMES } from '../../systems/registry.js'
import type { TestConfig } from '../config/test-config.js'
import { parseChoice } from '../config/flag-parsers.js'

/** The flags that choose a system under test, as `matrix` and `campaign` take them. */
export interface SystemFlags {
  db?: string
  mariadbd?: string
  mysqld?: string
  image?: string
}

export interface ChosenSystem {
  db: TestConfig['db']
  /** Server binaries or the container image the user named. */
  programs: Pick<Partial<TestConfig>, 'mariadbd' | 'mysqld' | 'image'>
  /** How records name it: the system, with its image for containers. */
  label: string
}

export function chosenSystem(flags: SystemFlags): ChosenSystem {
  const db = parseChoice('--db', flags.db ?? 'sim', SYSTEM_NAMES)
  const programs = {
    ...(flags.mariadbd ? { mariadbd: flags.mariadbd } : {}),
    ...(flags.mysqld ? { mysqld: flags.mysqld } : {}),
    ...(flags.image ? { image: flags.image } : {}),
  }
  if (programs.image !== undefined && db === 'sim') {
    throw new ConfigError('--image', 'containers run real servers: use it with --db mariadb or --db mysql')
  }
  return { db, programs, label: programs.image === undefined ? db : `${db} ${programs.image}` }
}
