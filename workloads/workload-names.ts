/** The workloads a run can name (the option table lists them without loading the workloads and their checkers). */
export const WORKLOAD_NAMES = ['set', 'register'] as const
export type WorkloadName = (typeof WORKLOAD_NAMES)[number]
