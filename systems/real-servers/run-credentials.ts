import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A MariaDB account: user and password. */
export interface Account {
  user: string
  password: string
}

/**
 * The accounts of one run, with fresh random passwords: the harness's own (setup, replication control, and the
 * replication link itself) and the clients' (no SUPER, so read_only applies to them). Nobody else on the machine can
 * guess them; they are kept in the run folder, readable by its owner only.
 */
export interface RunCredentials {
  admin: Account
  client: Account
}

export function newRunCredentials(): RunCredentials {
  const password = (): string => randomBytes(18).toString('base64url')
  return { admin: { user: 'ssc_admin', password: password() }, client: { user: 'ssc_client', password: password() } }
}

/** Writes `credentials.json` (mode 0600) into the run folder, so a person can connect to a kept cluster's nodes. */
export function saveRunCredentials(runDir: string, credentials: RunCredentials): string {
  const path = join(runDir, 'credentials.json')
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  return path
}

/** SQL string literal for a password we generated (base64url: no quote or backslash to escape). */
export function sqlLiteral(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('only generated (base64url) secrets go into SQL literals')
  return `'${text}'`
}

/**
 * The node's init file, run by the server at every start before it accepts a connection: the run's admin account
 * exists with the run's password, whatever the datadir held. Not binlogged (replicas must not get GTIDs of their own).
 * The datadir template has no account reachable over TCP, so there is no moment without a password.
 */
export function initSql(credentials: RunCredentials): string {
  const { user, password } = credentials.admin
  const account = `'${user}'@'127.0.0.1'`
  return [
    'SET SESSION sql_log_bin=0;',
    `CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${sqlLiteral(password)};`,
    `ALTER USER ${account} IDENTIFIED BY ${sqlLiteral(password)};`,
    `GRANT ALL PRIVILEGES ON *.* TO ${account} WITH GRANT OPTION;`,
    '',
  ].join('\n')
}
