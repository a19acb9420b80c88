/** Which node an action targets: a role resolved when the action runs, or a node by name. */
export type NodeTarget = 'primary' | 'replica' | 'semi-sync-replica' | 'async-replica' | 'random' | { node: string }

/** The network shapes the nemesis can cut, by the names every kind of system shares. */
export type PartitionTopology =
  /** The primary cut from every replica (both ways). */
  | 'replicas'
  /** The primary cut from one replica. */
  | 'replica'
  /** The primary cut from clients and replicas. */
  | 'isolate-primary'
  /** Clients cut from the primary (replication keeps flowing). */
  | 'clients'
  /** The nodes split into two halves; clients stay with the half that holds the primary. */
  | 'halves'

/**
 * One primitive nemesis step. Fault packages (`kill-primary`, `partition-replicas`, …) and scenario schedules are
 * made of these; each becomes an invoke/info pair of `nemesis` ops in the history, `f` being the action's name.
 */
export type NemesisAction =
  | { f: 'kill'; target: NodeTarget }
  /** Restart every killed node: a failed-over old primary rejoins (per `--rejoin`), others resume their role. */
  | { f: 'start'; target: 'killed' | { node: string } }
  | { f: 'pause'; target: NodeTarget }
  | { f: 'resume'; target: 'paused' | { node: string } }
  | { f: 'partition'; topology: PartitionTopology; target?: NodeTarget }
  | { f: 'heal' }
  /** Latency on replication links, both ways: every replica's link, or only `target`'s. */
  | { f: 'latency'; meanMs: number; jitterMs: number; target?: NodeTarget }
  | { f: 'clear-latency' }
  | { f: 'reset'; target: NodeTarget }
  | { f: 'failover' }
  /** `STOP SLAVE IO_THREAD` on a replica (or every replica): it disconnects, so the primary sees fewer semi-sync clients. */
  | { f: 'stop-io'; target: NodeTarget | 'replicas' }
  /** `START SLAVE IO_THREAD` again on replicas the nemesis stopped. */
  | { f: 'start-io'; target: 'stopped' | { node: string } }
  /** `KILL` the sessions waiting for a semi-sync ack on the primary (MariaDB commits them without an ack). */
  | { f: 'kill-waiters' }
  | { f: 'stall-applier'; target: NodeTarget }
  | { f: 'resume-applier'; target: 'stalled' | { node: string } }

/** An action at a point in the run (nanoseconds since the start). */
export interface NemesisStep {
  atNs: number
  action: NemesisAction
}
