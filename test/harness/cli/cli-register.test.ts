import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_BAD_INPUT, EXIT_INVALID, EXIT_VALID } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from './cli-kit.js'

describe('the register workload and check --checker linearizable, through the CLI', () => {
  it('an AFTER_COMMIT failover with waiting commits is caught as nonlinearizable, and check explains it with a timeline', async () => {
    const dir = tempDir()
    const matrix = await runCli([
      'matrix',
      '--scenario',
      'register-waiting-commits',
      '--seeds',
      '1',
      '--json',
      '--results-dir',
      dir,
    ])
    expect(matrix.code).toBe(EXIT_VALID)
    const rows = JSON.parse(matrix.stdout) as Array<{ waitPoint: string; found: string[]; runDir: string }>
    const afterCommit = rows.find((r) => r.waitPoint === 'after_commit')
    const afterSync = rows.find((r) => r.waitPoint === 'after_sync')
    expect(afterCommit?.found).toContain('nonlinearizable')
    expect(afterSync?.found).toEqual([])

    const html = join(dir, 'explanation.html')
    const check = await runCli([
      'check',
      afterCommit!.runDir,
      '--checker',
      'linearizable',
      '--model',
      'register',
      '--html',
      html,
    ])
    expect(check.code).toBe(EXIT_INVALID)
    expect(check.stdout).toMatch(/NOT LINEARIZABLE/)
    expect(check.stdout).toMatch(/longest linearizable prefix/)
    expect(existsSync(html)).toBe(true)
    expect(readFileSync(html, 'utf8')).toMatch(/<svg/)

    const safe = await runCli(['check', afterSync!.runDir, '--checker', 'linearizable'])
    expect(safe.code).toBe(EXIT_VALID)
    // Without --checker, the run's own workload (register, from test.json) decides which checkers run.
    const again = await runCli(['check', afterCommit!.runDir, '--json'])
    expect(JSON.parse(again.stdout).checkers).toHaveProperty('linearizable')
  })

  it('bad --checker and --model values are bad input naming the flag', async () => {
    const dir = tempDir()
    const run = await runCli([
      'run',
      '--workload',
      'register',
      '--time-limit',
      '2',
      '--seed',
      '1',
      '--nemesis',
      'none',
      '--results-dir',
      dir,
    ])
    expect(run.code).toBe(EXIT_VALID)
    const checker = await runCli(['check', join(dir, 'latest'), '--checker', 'serializable'])
    expect(checker.code).toBe(EXIT_BAD_INPUT)
    expect(checker.stderr).toContain('--checker')
    const model = await runCli(['check', join(dir, 'latest'), '--checker', 'linearizable', '--model', 'queue'])
    expect(model.code).toBe(EXIT_BAD_INPUT)
    expect(model.stderr).toContain('--model')
  })
})
