/**
 * The faults every simulator bench runs, and how often the nemesis acts: one definition, so the wall-clock figures of
 * `simulator.bench.ts` and the instruction counts of `simulator-instructions.bench.ts` describe the same runs.
 */
export const FAULTS = ['kill-primary', 'partition-replicas', 'latency', 'pause', 'kill-replica'] as const
export const NEMESIS_INTERVAL_S = 5
