/** One reading of a node's semi-sync status counters. */
export interface StatusSample {
  time: number
  node: string
  role: 'primary' | 'replica'
  status?: 'ON' | 'OFF'
  clients?: number
  yesTx?: number
  noTx?: number
  noTimes?: number
  waitSessions?: number
  slaveStatus?: 'ON' | 'OFF'
  /** The primary's binlog position (the number failover policies compare). */
  binlogSeq?: number
  /** A replica's received and applied positions, in the same numbers. */
  receivedSeq?: number
  appliedSeq?: number
  /** Why the node could not be read (down, paused past the timeout, …). */
  error?: string
}
