import type { NemesisAction } from './nemesis-action.js'

/** The fault names `--nemesis` takes; the same names on every kind of system. */
export const FAULT_NAMES = [
  'kill-primary',
  'kill-replica',
  'pause',
  'partition-replicas',
  'partition-replica',
  'isolate-primary',
  'partition-halves',
  'latency',
  'none',
] as const
export type FaultName = (typeof FAULT_NAMES)[number]

/** A fault as a pair of action lists: what starts it and what heals it. */
export interface FaultPackage {
  name: FaultName
  description: string
  start: NemesisAction[]
  stop: NemesisAction[]
}

export interface FaultOptions {
  /** Latency the `latency` fault adds to replication links, one way. */
  latencyMs: number
  latencyJitterMs: number
}

export function faultPackage(name: FaultName, options: FaultOptions): FaultPackage {
  switch (name) {
    case 'kill-primary':
      return {
        name,
        description: 'kill -9 the primary, fail over; later restart it and rejoin it as a replica',
        start: [{ f: 'kill', target: 'primary' }, { f: 'failover' }],
        stop: [{ f: 'start', target: 'killed' }],
      }
    case 'kill-replica':
      return {
        name,
        description: 'kill -9 a random replica; later restart it',
        start: [{ f: 'kill', target: 'replica' }],
        stop: [{ f: 'start', target: 'killed' }],
      }
    case 'pause':
      return {
        name,
        description: 'SIGSTOP a random node; later SIGCONT',
        start: [{ f: 'pause', target: 'random' }],
        stop: [{ f: 'resume', target: 'paused' }],
      }
    case 'partition-replicas':
      return {
        name,
        description: 'cut the primary from every replica',
        start: [{ f: 'partition', topology: 'replicas' }],
        stop: [{ f: 'heal' }],
      }
    case 'partition-replica':
      return {
        name,
        description: 'cut the primary from one random replica',
        start: [{ f: 'partition', topology: 'replica', target: 'replica' }],
        stop: [{ f: 'heal' }],
      }
    case 'isolate-primary':
      return {
        name,
        description: 'cut the primary from clients and replicas',
        start: [{ f: 'partition', topology: 'isolate-primary' }],
        stop: [{ f: 'heal' }],
      }
    case 'partition-halves':
      return {
        name,
        description: 'split the nodes into two halves',
        start: [{ f: 'partition', topology: 'halves' }],
        stop: [{ f: 'heal' }],
      }
    case 'latency':
      return {
        name,
        description: `add ${options.latencyMs} ms (±${options.latencyJitterMs}) to every replication link`,
        start: [{ f: 'latency', meanMs: options.latencyMs, jitterMs: options.latencyJitterMs }],
        stop: [{ f: 'clear-latency' }],
      }
    case 'none':
      return { name, description: 'no faults', start: [], stop: [] }
  }
}
