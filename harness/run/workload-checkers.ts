import type { Checker } from '../../checkers/checker.js'
import { semiSyncStatusChecker } from '../../checkers/semi-sync-status-checker.js'
import type { StatusSample } from '../../core/semisync/status-sample.js'
import type { Workload } from '../../workloads/workload.js'

/**
 * A workload's checkers as its run had them, for `run` and for `check` of the run's folder alike: with the run's status
 * record (kept when its primary ran semi-sync), the semi-sync status checker too. MySQL counts one yes_tx/no_tx per
 * waiting binlog group, the others one per commit.
 */
export function workloadCheckers(
  workload: Workload,
  status: { samples: readonly StatusSample[]; flavor: unknown } | null,
): Checker[] {
  const checkers = workload.checkers()
  if (status !== null) {
    checkers.push(
      semiSyncStatusChecker({
        samples: status.samples,
        commits: (ok) => workload.commits(ok),
        countsEveryCommit: status.flavor !== 'mysql',
      }),
    )
  }
  return checkers
}
