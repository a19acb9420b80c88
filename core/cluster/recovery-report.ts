/** How the final phase's wait for the replicas to catch up ended (results.json `recovery`, and a history op). */
export interface RecoveryReport {
  recovered: boolean
  waitedNs: number
  /** Replicas that had not caught up with the primary when the wait ended, with why. */
  lagging: Record<string, string>
  /** Nodes holding transactions the primary lacks (errant GTIDs), in the server's notation; absent when none. */
  errant?: Record<string, string>
}
