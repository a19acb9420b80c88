import type { ServerDialect } from './server-dialect.js'

/**
 * The statements that start and stop a replica's threads, which the two servers spell alike but for one word: MariaDB
 * says `SLAVE`, MySQL `REPLICA` since 8.0.22.
 */
export function replicationStatements(
  word: 'SLAVE' | 'REPLICA',
): Pick<ServerDialect, 'startReplication' | 'stopIo' | 'startIo' | 'stopApplier' | 'startApplier'> {
  return {
    startReplication: `START ${word}`,
    stopIo: `STOP ${word} IO_THREAD`,
    startIo: `START ${word} IO_THREAD`,
    stopApplier: `STOP ${word} SQL_THREAD`,
    startApplier: `START ${word} SQL_THREAD`,
  }
}
