/** The workloads a run can name (the option table lists them without loading the workloads and their checkers). */
export const WORKLOAD_NAMES = ['set', 'register', 'list-append'] as const
export type WorkloadName = (typeof WORKLOAD_NAMES)[number]
