import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { EXIT_BAD_INPUT } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { SKIP_REAL_SERVERS } from '../mariadb/mariadb-available.js'

const dir = tempDir('ssc-list-append-real-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(SKIP_REAL_SERVERS)('list-append transactions on MariaDB processes', () => {
  it('runs at REPEATABLE READ, which the engine refuses, and elle holds the history to that level', async () => {
    const run = await runCli([
      'run',
      '--db',
      'mariadb',
      '--workload',
      'list-append',
      '--isolation',
      'repeatable-read',
      '--nemesis',
      'none',
      '--time-limit',
      '4',
      '--read-fraction',
      '0.5',
      '--results-dir',
      dir,
      '--json',
    ])
    // InnoDB's REPEATABLE READ is weaker than Adya's PL-2.99 (a read of a snapshot, a write of the latest row), so
    // the verdict may be either; what must hold is that the run happened at that level and was judged at it.
    expect(run.code).not.toBe(EXIT_BAD_INPUT)
    const { runDir } = JSON.parse(run.stdout) as { runDir: string }
    const check = await runCli(['check', runDir, '--json'])
    const elle = JSON.parse(check.stdout).checkers.elle as {
      stats: { isolation: string; txns: { ok: number }; graph: { edges: { wr: number } } }
    }
    expect(elle.stats.isolation).toBe('repeatable-read')
    expect(elle.stats.txns.ok).toBeGreaterThan(50)
    // Reads inside transactions returned lists that others' appends explain.
    expect(elle.stats.graph.edges.wr).toBeGreaterThan(0)
  })
})
