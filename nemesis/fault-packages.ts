import type { NemesisAction } from './nemesis-action.js'

/** The fault names `--nemesis` takes; the same names on every kind of system. */
export const FAULT_NAMES = [
  'kill-primary',
  'kill-primary-and-replica',
  'kill-replica',
  'pause',
  'partition-replicas',
  'partition-replica',
  'isolate-primary',
  'partition-halves',
  'latency',
  'stall-applier',
  'slow-applier',
  'load-burst',
  'none',
] as const
export type FaultName = (typeof FAULT_NAMES)[number]

/** Faults that only the built-in engine can inflict. */
export const ENGINE_ONLY_FAULTS: readonly FaultName[] = ['slow-applier']

/**
 * What a fault acts on. Faults of one class share their heal (`heal` mends every cut, `start killed` restarts every
 * killed node), so two of a class never overlap; faults of different classes do (random schedules).
 */
export type FaultClass = 'process' | 'network' | 'latency' | 'applier' | 'load'
export const FAULT_CLASSES: readonly FaultClass[] = ['process', 'network', 'latency', 'applier', 'load']

/** A fault as a pair of action lists: what starts it and what heals it. */
export interface FaultPackage {
  name: FaultName
  class: FaultClass
  description: string
  start: NemesisAction[]
  stop: NemesisAction[]
}

export interface FaultOptions {
  /** Latency the `latency` fault adds to replication links, one way. */
  latencyMs: number
  latencyJitterMs: number
  /** The clients' total rate during a `load-burst` (ops/s; 0 = as fast as they can). */
  burstRate: number
  /** A slowed replica's SQL-thread time per transaction (`slow-applier`). */
  slowApplyTimeUs: number
}

/** The rate a `load-burst` drives: twenty times the configured one, at least 2000 ops/s (0 stays unlimited). */
export function burstRateFor(rate: number): number {
  return rate === 0 ? 0 : Math.max(2000, rate * 20)
}

/** What a `slow-applier` fault makes a replica's SQL thread take per transaction (20 ms). */
export const SLOW_APPLY_TIME_US = 20_000

export function faultPackage(name: FaultName, options: FaultOptions): FaultPackage {
  return { name, ...faultActions(name, options) }
}

function faultActions(name: FaultName, options: FaultOptions): Omit<FaultPackage, 'name'> {
  switch (name) {
    case 'kill-primary':
      return {
        class: 'process',
        description: 'kill -9 the primary, fail over; later restart it and rejoin it as a replica',
        start: [{ f: 'kill', target: 'primary' }, { f: 'failover' }],
        stop: [{ f: 'start', target: 'killed' }],
      }
    case 'kill-replica':
      return {
        class: 'process',
        description: 'kill -9 a random replica; later restart it',
        start: [{ f: 'kill', target: 'replica' }],
        stop: [{ f: 'start', target: 'killed' }],
      }
    case 'pause':
      return {
        class: 'process',
        description: 'SIGSTOP a random node; later SIGCONT',
        start: [{ f: 'pause', target: 'random' }],
        stop: [{ f: 'resume', target: 'paused' }],
      }
    case 'partition-replicas':
      return {
        class: 'network',
        description: 'cut the primary from every replica',
        start: [{ f: 'partition', topology: 'replicas' }],
        stop: [{ f: 'heal' }],
      }
    case 'partition-replica':
      return {
        class: 'network',
        description: 'cut the primary from one random replica',
        start: [{ f: 'partition', topology: 'replica', target: 'replica' }],
        stop: [{ f: 'heal' }],
      }
    case 'isolate-primary':
      return {
        class: 'network',
        description: 'cut the primary from clients and replicas',
        start: [{ f: 'partition', topology: 'isolate-primary' }],
        stop: [{ f: 'heal' }],
      }
    case 'partition-halves':
      return {
        class: 'network',
        description: 'split the nodes into two halves',
        start: [{ f: 'partition', topology: 'halves' }],
        stop: [{ f: 'heal' }],
      }
    case 'latency':
      return {
        class: 'latency',
        description: `add ${options.latencyMs} ms (±${options.latencyJitterMs}) to every replication link`,
        start: [{ f: 'latency', meanMs: options.latencyMs, jitterMs: options.latencyJitterMs }],
        stop: [{ f: 'clear-latency' }],
      }
    case 'kill-primary-and-replica':
      return {
        class: 'process',
        description:
          'kill -9 the primary and a semi-sync replica together, restart the replica, fail over; later restart the ' +
          'old primary and rejoin it',
        start: [
          { f: 'kill', target: 'primary' },
          { f: 'kill', target: 'semi-sync-replica' },
          { f: 'start', target: 'killed-replicas' },
          { f: 'failover' },
        ],
        stop: [{ f: 'start', target: 'killed' }],
      }
    case 'stall-applier':
      return {
        class: 'applier',
        description: "stall a random replica's SQL thread (it keeps receiving and acking); later resume it",
        start: [{ f: 'stall-applier', target: 'replica' }],
        stop: [{ f: 'resume-applier', target: 'stalled' }],
      }
    case 'slow-applier':
      return {
        class: 'applier',
        description: `slow a random replica's SQL thread to ${options.slowApplyTimeUs} µs a transaction (engine only)`,
        start: [{ f: 'slow-applier', target: 'replica', applyTimeUs: options.slowApplyTimeUs }],
        stop: [{ f: 'restore-applier', target: 'slowed' }],
      }
    case 'load-burst':
      return {
        class: 'load',
        description: `clients at ${options.burstRate || 'unlimited'} ops/s in all; later the configured rate again`,
        start: [{ f: 'load', opsPerSecond: options.burstRate }],
        stop: [{ f: 'load', opsPerSecond: null }],
      }
    case 'none':
      return { class: 'process', description: 'no faults', start: [], stop: [] }
  }
}
