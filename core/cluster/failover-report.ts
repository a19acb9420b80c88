import type { ReplicaState } from './cluster.js'

/** What a failover did: the value of the `failover` op in the history, which checkers cite when a write was lost. */
export interface FailoverReport {
  from: string
  to: string | null
  policy: string
  /** What each candidate held when chosen; the `*Seq` numbers order positions the way the policy compared them. */
  candidates: Array<Pick<ReplicaState, 'node' | 'semiSync' | 'received' | 'applied' | 'receivedSeq' | 'appliedSeq'>>
  /** Replicas that did not finish applying their relay log in time. */
  undrained: string[]
  error?: string
}
