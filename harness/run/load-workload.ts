import type { IsolationLevel } from '../../core/sql/statement.js'
import type { Workload } from '../../workloads/workload.js'
import type { WorkloadName } from '../../workloads/workload-names.js'

/**
 * The workload a run (or a re-check) names, with its checkers, loaded on demand: a set run does not pay for the
 * linearizability checker's modules, nor a register run for the set checker's (bench/README.md, "Start-up").
 */
export async function loadWorkload(
  name: WorkloadName,
  options: { readFraction: number; opsPerKey: number; isolation: IsolationLevel },
): Promise<Workload> {
  switch (name) {
    case 'set': {
      const { SetWorkload } = await import('../../workloads/set-workload.js')
      return new SetWorkload(options.readFraction)
    }
    case 'register': {
      const [{ RegisterWorkload }, { LinearizabilityChecker }, { withoutFinalPhase }] = await Promise.all([
        import('../../workloads/register-workload.js'),
        import('../../checkers/linearizability/index.js'),
        import('../../checkers/without-final-phase.js'),
      ])
      return new RegisterWorkload(options.readFraction, options.opsPerKey, () =>
        withoutFinalPhase(new LinearizabilityChecker({ model: 'register', timeoutMs: 120_000 })),
      )
    }
    case 'list-append': {
      const { ListAppendWorkload } = await import('../../workloads/list-append-workload.js')
      return new ListAppendWorkload(options.readFraction, options.opsPerKey, options.isolation)
    }
  }
}
