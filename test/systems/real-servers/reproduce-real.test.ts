import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { SKIP_REAL_SERVERS } from '../mariadb/mariadb-available.js'

const dir = tempDir('ssc-reproduce-real-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(SKIP_REAL_SERVERS)('reproduce on MariaDB processes', () => {
  it('runs the stored test up to --attempts times and reports how many gave its verdict', async () => {
    const first = await runCli([
      'run',
      '--db',
      'mariadb',
      '--time-limit',
      '2',
      '--nemesis',
      'none',
      '--seed',
      '5',
      '--results-dir',
      join(dir, 'store'),
      '--json',
    ])
    expect(first.code).toBe(0)
    const runDir = (JSON.parse(first.stdout) as { runDir: string }).runDir
    const { code, stdout } = await runCli(['reproduce', runDir, '--attempts', '2', '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as { reproduced: number; attempts: Array<{ runDir: string; valid: unknown }> }
    // Timing differs on real servers: no history to compare, every attempt its own run folder.
    expect(report).not.toHaveProperty('historyIdentical')
    expect(report.attempts).toHaveLength(2)
    expect(report.reproduced).toBe(2)
    expect(new Set(report.attempts.map((a) => a.runDir)).size).toBe(2)
  }, 240_000)
})
