import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_VALID } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from './cli-kit.js'

/** A G-single (read skew): two transactions each see one of two appends that one transaction made together. */
const G_SINGLE = [
  {
    process: 0,
    type: 'invoke',
    value: [
      ['append', 'x', 1],
      ['append', 'y', 1],
    ],
  },
  {
    process: 1,
    type: 'invoke',
    value: [
      ['r', 'x', null],
      ['r', 'y', null],
    ],
  },
  {
    process: 0,
    type: 'ok',
    value: [
      ['append', 'x', 1],
      ['append', 'y', 1],
    ],
  },
  {
    process: 1,
    type: 'ok',
    value: [
      ['r', 'x', []],
      ['r', 'y', [1]],
    ],
  },
]

function historyFile(dir: string, events: ReadonlyArray<Record<string, unknown>>): string {
  const path = join(dir, 'history.jsonl')
  const lines = events.map((e, index) => JSON.stringify({ index, time: (index + 1) * 1000, f: 'txn', ...e }))
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

describe('the list-append workload and check --checker elle, through the CLI', () => {
  it('check --checker elle names the anomaly and exits 1; at a level that allows it, 0', async () => {
    const path = historyFile(tempDir(), G_SINGLE)
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
    const path = historyFile(dir, G_SINGLE)
    const unknown = await runCli(['check', path, '--checker', 'elle', '--isolation', 'snapshot'])
    expect(unknown.code).toBe(EXIT_BAD_INPUT)
    expect(unknown.stderr).toMatch(/--isolation: unknown isolation level "snapshot"/)
    const alone = await runCli(['check', path, '--isolation', 'serializable'])
    expect(alone.code).toBe(EXIT_BAD_INPUT)
    expect(alone.stderr).toMatch(/--isolation: goes with --checker elle/)
  })
})
