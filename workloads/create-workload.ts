import { LinearizabilityChecker } from '../checkers/linearizability/index.js'
import { withoutFinalPhase } from '../checkers/without-final-phase.js'
import { RegisterWorkload } from './register-workload.js'
import { SetWorkload } from './set-workload.js'
import type { Workload } from './workload.js'
import type { WorkloadName } from './workload-names.js'

/** The workload a run (or a re-check) names, with its checkers. */
export function createWorkload(name: WorkloadName, options: { readFraction: number; opsPerKey: number }): Workload {
  switch (name) {
    case 'set':
      return new SetWorkload(options.readFraction)
    case 'register':
      return new RegisterWorkload(options.readFraction, options.opsPerKey, () =>
        withoutFinalPhase(new LinearizabilityChecker({ model: 'register', timeoutMs: 120_000 })),
      )
  }
}
