import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_VALID } from '../../../harness/cli/exit-codes.js'
import { append, r, TxnHistory } from '../../checkers/elle/txn-history.js'
import { runCli, tempDir } from './cli-kit.js'

/** A G-single (read skew): a transaction sees one of two appends that another transaction made together. */
function gSingleFile(dir: string): string {
  const h = new TxnHistory()
  h.concurrent([
    [0, [append('x', 1), append('y', 1)]],
    [1, [r('x', []), r('y', [1])]],
  ])
  const path = join(dir, 'history.jsonl')
  writeFileSync(
    path,
    `${h
      .ops()
      .map((op) => JSON.stringify(op))
      .join('\n')}\n`,
  )
  return path
}

describe('the list-append workload and check --checker elle, through the CLI', () => {
  it('check --checker elle names the anomaly and exits 1; at a level that allows it, 0', async () => {
    const path = gSingleFile(tempDir())
    const strict = await runCli(['check', path, '--checker', 'elle', '--json'])
    expect(strict.code).toBe(EXIT_INVALID)
    expect(JSON.parse(strict.stdout).anomalies.map((a: { kind: string }) => a.kind)).toContain('G-single')
    const weak = await runCli(['check', path, '--checker', 'elle', '--isolation', 'read-committed'])
    expect(weak.code).toBe(EXIT_VALID)
  })

  it('a list-append run on the engine is checked by elle at its own level, and check of its folder agrees', async () => {
    const dir = tempDir()
    const run = await runCli([
      'run',
      '--workload',
      'list-append',
      '--isolation',
      'read-committed',
      '--time-limit',
      '5',
      '--seed',
      '3',
      '--read-fraction',
      '0.5',
      '--results-dir',
      dir,
      '--json',
    ])
    expect(run.code).toBe(EXIT_VALID)
    const { runDir } = JSON.parse(run.stdout) as { runDir: string }
    const again = await runCli(['check', runDir, '--json'])
    expect(again.code).toBe(EXIT_VALID)
    const elle = JSON.parse(again.stdout).checkers.elle as { stats: { isolation: string; txns: { ok: number } } }
    expect(elle.stats.isolation).toBe('read-committed')
    expect(elle.stats.txns.ok).toBeGreaterThan(100)
    // The same history held to serializable: read committed let through what serializable forbids.
    const strict = await runCli(['check', runDir, '--checker', 'elle', '--isolation', 'serializable'])
    expect(strict.code).toBe(EXIT_INVALID)
    // --checker elle without --isolation holds the run to its own level, from test.json.
    const own = await runCli(['check', runDir, '--checker', 'elle', '--json'])
    expect(own.code).toBe(EXIT_VALID)
    expect(JSON.parse(own.stdout).checkers.elle.stats.isolation).toBe('read-committed')
  })

  it('bad input: repeatable-read on the engine, an unknown level, --isolation without --checker elle', async () => {
    const dir = tempDir()
    const rr = await runCli([
      'run',
      '--workload',
      'list-append',
      '--isolation',
      'repeatable-read',
      '--results-dir',
      dir,
    ])
    expect(rr.code).toBe(EXIT_BAD_INPUT)
    expect(rr.stderr).toMatch(/--isolation: the engine models read-committed and serializable only/)
    const path = gSingleFile(dir)
    const unknown = await runCli(['check', path, '--checker', 'elle', '--isolation', 'snapshot'])
    expect(unknown.code).toBe(EXIT_BAD_INPUT)
    expect(unknown.stderr).toMatch(/--isolation: unknown isolation level "snapshot"/)
    const alone = await runCli(['check', path, '--isolation', 'serializable'])
    expect(alone.code).toBe(EXIT_BAD_INPUT)
    expect(alone.stderr).toMatch(/--isolation: goes with --checker elle/)
  })
})
