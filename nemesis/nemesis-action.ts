import type { SeededRandom } from '../core/random/seeded-random.js'
import type { FaultName, FaultOptions } from './fault-packages.js'

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
  | { f: 'start'; target: 'killed' | 'killed-replicas' | { node: string } }
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
  /** The replica's SQL thread takes `applyTimeUs` per transaction (the engine only: real servers cannot be slowed). */
  | { f: 'slow-applier'; target: NodeTarget; applyTimeUs: number }
  | { f: 'restore-applier'; target: 'slowed' | { node: string } }
  /**
   * Waits (up to `timeoutMs`) until every live replica has received all the primary has: the cluster holds each
   * commit twice again. Random schedules start each process fault with it, so two primaries never fail while only
   * one node holds some commit (a double fault no semi-sync setting survives).
   */
  | { f: 'await-replicas'; timeoutMs: number }
  /** Clients' total rate: `opsPerSecond` (0 = as fast as they can), or back to the configured rate (null). */
  | { f: 'load'; opsPerSecond: number | null }

/**
 * An action at a point in the run (nanoseconds since the start). Steps of one lane run one after another; lanes run
 * side by side, so a failover that waits (for a drain, a paused node) does not hold back another lane's heal.
 */
export interface NemesisStep {
  atNs: number
  action: NemesisAction
  /**
   * The lane the step runs in (default 0). Lane 0 keeps its absolute times (scenario schedules); in any other lane a
   * step that starts late delays the rest of its lane by as much, so the faults after a slow failover keep their
   * planned durations and gaps instead of landing all at once.
   */
  lane?: number
}

/** Lays `faults` out over a run: every schedule kind draws from the same inputs (the nemesis stream among them). */
export type ScheduleBuilder = (
  faults: readonly FaultName[],
  intervalNs: number,
  timeLimitNs: number,
  random: SeededRandom,
  options: FaultOptions,
) => NemesisStep[]
