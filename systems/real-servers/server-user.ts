import { readFileSync } from 'node:fs'
import { EnvironmentError } from '../../core/errors/environment-error.js'

/** The system account servers run as. */
export interface ServerUser {
  name: string
  uid: number
  gid: number
}

/** Accounts to run servers as when the harness is root: Debian's `mysql` (from mariadb-server), else `nobody`. */
const CANDIDATES = ['mysql', 'nobody']

/**
 * Who the servers run as. A harness running as root never runs a server as root: a server exploit, or a
 * `SELECT … INTO OUTFILE`, must not act as root. Otherwise the servers run as the harness's own user (null).
 */
export function serverUser(): ServerUser | null {
  if (process.getuid?.() !== 0) return null
  const entries = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
  for (const name of CANDIDATES) {
    const entry = entries.find((fields) => fields[0] === name)
    if (entry) return { name, uid: Number(entry[2]), gid: Number(entry[3]) }
  }
  throw new EnvironmentError(`running as root, and none of ${CANDIDATES.join(', ')} exists to run the servers as`)
}
