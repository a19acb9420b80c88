import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { configFromFlags } from '../../harness/cli/test-flags.js'
import type { TestConfig } from '../../harness/config/test-config.js'
import { loadWorkload } from '../../harness/run/load-workload.js'
import { checkRecorded } from '../../harness/run/run-test.js'
import { parseHistory } from '../../results/history/history-reader.js'
import { runCli, tempDir } from './cli/cli-kit.js'

// `run` and `check` must give the same verdict on the same history: completed runs, and interrupted ones (whose
// history is a prefix of what a full run would have recorded).
const root = join(import.meta.dirname, '..', '..')

interface StoredRun {
  dir: string
  config: TestConfig
  results: { valid: unknown; reason?: string }
}

async function runOnce(args: string[]): Promise<StoredRun> {
  const store = tempDir()
  const result = await runCli(['run', '--results-dir', store, '--json', ...args])
  expect(result.code, result.stderr).toBeLessThan(3)
  const { runDir } = JSON.parse(result.stdout) as { runDir: string }
  // The stored config, read the way `run --config` reads it.
  const config = configFromFlags({ config: join(runDir, 'test.json') })
  return { dir: runDir, config, results: JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) }
}

async function checkVerdict(dir: string): Promise<unknown> {
  const checked = await runCli(['check', dir, '--json'])
  expect(checked.code, checked.stderr).toBeLessThan(3)
  return (JSON.parse(checked.stdout) as { valid: unknown }).valid
}

/** Waits (a generous deadline, not a speed claim) until a run under `store` has recorded a few kilobytes. */
async function untilRecording(store: string): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const testDir = join(store, 'semisync')
    const run = existsSync(testDir) ? readdirSync(testDir).find((name) => name !== 'latest') : undefined
    const history = run === undefined ? null : join(testDir, run, 'history.jsonl')
    if (history !== null && existsSync(history) && statSync(history).size > 4096) return
    if (Date.now() > deadline) throw new Error(`no run started recording under ${store}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('run and check agree', () => {
  const runs = [
    ['--seed', '3', '--time-limit', '4', '--nemesis', 'kill-primary,partition-replicas', '--nemesis-interval', '1'],
    ['--seed', '4', '--time-limit', '4', '--semi-sync-timeout', '200', '--nemesis', 'partition-replicas,kill-primary'],
    [
      '--seed',
      '5',
      '--time-limit',
      '3',
      '--workload',
      'register',
      '--wait-point',
      'after_commit',
      '--nemesis-interval',
      '1',
    ],
  ]
  for (const args of runs) {
    it(`on a completed run and on every prefix fast-check draws (${args.join(' ')})`, async () => {
      const run = await runOnce(args)
      expect(await checkVerdict(run.dir)).toEqual(run.results.valid)
      const lines = readFileSync(join(run.dir, 'history.jsonl'), 'utf8').trimEnd().split('\n')
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: lines.length }), async (cut) => {
          // What an interrupted run would have recorded, stored as a run folder.
          const dir = join(tempDir(), 'interrupted')
          mkdirSync(dir)
          copyFileSync(join(run.dir, 'test.json'), join(dir, 'test.json'))
          const prefix = lines.slice(0, cut)
          writeFileSync(join(dir, 'history.jsonl'), prefix.length > 0 ? `${prefix.join('\n')}\n` : '')
          const runVerdict = checkRecorded(
            await loadWorkload(run.config.workload, run.config),
            run.config,
            parseHistory(prefix.join('\n')),
          )
          expect(await checkVerdict(dir)).toEqual(runVerdict.valid)
          // Before the final reads, nothing shows that every node holds what it should: never valid.
          const finalReads = prefix.some((line) => line.includes('"final":true'))
          if (!finalReads) expect(runVerdict.valid).not.toBe(true)
        }),
        { numRuns: 25 },
      )
    }, 120_000)
  }

  it('on runs interrupted by Ctrl-C (a real signal to the CLI)', async () => {
    for (const delayMs of [0, 1500]) {
      const store = tempDir()
      const interrupted = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'harness/cli/bin.ts'),
          'run',
          // A day of simulated time: minutes of wall time, so a run that held the signal off until its end would
          // outlast this test's timeout.
          '--time-limit',
          '86400',
          '--seed',
          '9',
          '--nemesis',
          'kill-primary,partition-replicas',
          '--nemesis-interval',
          '1',
          '--results-dir',
          store,
        ],
        { cwd: root, stdio: 'ignore' },
      )
      // Interrupt once the run records (its handlers are in place by then), at a different moment each time.
      await untilRecording(store)
      await new Promise((r) => setTimeout(r, delayMs))
      interrupted.kill('SIGINT')
      const code = await new Promise<number | null>((resolve) => interrupted.on('exit', (c) => resolve(c)))
      expect(code).toBe(130)
      const testDir = join(store, 'semisync')
      const runDir = join(testDir, readdirSync(testDir).find((name) => name !== 'latest') as string)
      expect(existsSync(join(runDir, 'results.json'))).toBe(true)
      const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Record<string, unknown>
      expect(results['interrupted']).toBe(true)
      // Over once its results are written: no live marker keeps prune away from it.
      expect(existsSync(join(runDir, 'live.json'))).toBe(false)
      expect(results['valid']).not.toBe(true)
      expect(await checkVerdict(runDir)).toEqual(results['valid'])
    }
  }, 120_000)
})
