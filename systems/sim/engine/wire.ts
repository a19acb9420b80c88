import type { DbErrorCode } from '../../../core/sql/db-error.js'
import type { Gtid } from './gtid.js'
import type { Statement, StatementResult } from '../../../core/sql/statement.js'
import type { RowWrite } from './row-write.js'

/** A transaction as the binlog (and a replica's relay log) stores it. Immutable once written. */
export interface BinlogEntry {
  readonly gtid: Gtid
  readonly writes: readonly RowWrite[]
}

/** Messages on the simulated network: the client protocol and the replication protocol. */
export type WireMessage =
  | { t: 'query'; id: number; statement: Statement }
  | { t: 'result'; id: number; result: StatementResult }
  | { t: 'error'; id: number; code: DbErrorCode; detail?: string }
  /** COM_BINLOG_DUMP by GTID: start after `from`; `semiSync` is `SET @rpl_semi_sync_slave=1`. */
  | { t: 'dump'; serverId: number; from: Gtid; semiSync: boolean }
  | { t: 'dump-error'; errno: number; message: string }
  /** A binlog event; `pos` is its end position in the sender's binlog. */
  | { t: 'event'; entry: BinlogEntry; pos: number; needsAck: boolean }
  | { t: 'ack'; pos: number }
