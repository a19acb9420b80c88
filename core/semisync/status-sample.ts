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
  /** Why the node could not be read (down, paused past the timeout, …). */
  error?: string
}
