import type { CompositeResult } from '../../checkers/compose.js'
import type { ReplicaState } from '../../core/cluster/cluster.js'
import type { RecoveryReport } from '../../core/cluster/recovery-report.js'
import type { SemiSyncStatus } from '../../core/semisync/semi-sync-status.js'

/** One node at the end of a run, as results.json records it. */
export interface NodeReport {
  alive: boolean
  role: 'primary' | 'replica'
  status: SemiSyncStatus | null
  replication: ReplicaState | null
  error?: string
}

/** What results.json holds: the verdict, the anomalies, each checker's result, recovery, nodes and figures. */
export interface RunSummary {
  valid: CompositeResult['valid']
  /** Why the verdict is unknown (each undecided checker and its reason); absent otherwise. */
  reason?: string
  anomalies: CompositeResult['anomalies']
  checkers: CompositeResult['checkers']
  recovery: RecoveryReport
  /** Each node at the end: semi-sync status counters and replication state (when fallback to async happened shows here). */
  nodes: Record<string, NodeReport>
  /**
   * Present when the run did not finish within its wall-clock limit (`--wall-limit`) and was stopped: what it was
   * doing and the nemesis actions still pending (since when, in run seconds). The verdict is then never `true`.
   */
  overran?: { wallLimitS: number; phase: string; pending: Array<{ f: string; value: unknown; sinceS: number }> }
  figures: { ops: number; clientOps: number; simulatedSeconds: number; wallSeconds: number; simulatorEvents: number }
}
