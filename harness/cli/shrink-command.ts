import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AnomalyKind } from '../../checkers/checker.js'
import { ConfigError } from '../../core/errors/config-error.js'
import { readStoredVerdict } from '../../results/store/run-folder-files.js'
import { parseDuration, parseInteger } from '../config/flag-parsers.js'
import type { TestConfig } from '../config/test-config.js'
import { shrink, type ShrinkStep } from '../scenarios/shrink.js'
import { readTestCase, writeTestCase } from '../scenarios/test-case-file.js'
import { runTest } from '../run/run-test.js'
import { EXIT_INVALID, EXIT_VALID } from './exit-codes.js'
import { progressOutput } from './progress-output.js'
import { storedConfig } from './test-flags.js'

export interface ShrinkFlags {
  kind?: string
  attempts?: string
  timeBudget?: string
  out?: string
  mariadbd?: string
  mysqld?: string
  image?: string
  json?: boolean
}

/**
 * `semisync-chaos shrink <run-folder>`: the smallest test that still finds the run's anomaly (`--kind` one of them),
 * written to `<run-folder>/shrunk/` (or `--out`): test.json, the command that runs it, the steps taken, and a vitest
 * regression test that replays it on the engine. Exit 0 when it shrank, 1 when the anomaly did not come back.
 */
export async function shrinkCommand(runDir: string, flags: ShrinkFlags): Promise<number> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory() || !existsSync(join(runDir, 'test.json')))
    throw new ConfigError('shrink', `${runDir} is not a run folder (store/<test>/<run> with a test.json)`)
  const found = readStoredVerdict(runDir, 'shrink', 'no anomaly to keep while shrinking').kinds as AnomalyKind[]
  if (found.length === 0) throw new ConfigError('shrink', `${runDir} found no anomaly: there is nothing to keep`)
  if (flags.kind !== undefined && !found.includes(flags.kind as AnomalyKind))
    throw new ConfigError('--kind', `the run found ${found.join(', ')}, not ${flags.kind}`)
  const target = flags.kind === undefined ? found : [flags.kind as AnomalyKind]
  const output = progressOutput()
  const { mariadbd, mysqld, image } = flags
  const config = storedConfig(runDir, { mariadbd, mysqld, image }, output.log)
  const attempts = parseInteger('--attempts', flags.attempts ?? (config.db === 'sim' ? '1' : '3'))
  if (attempts < 1 || attempts > 20) throw new ConfigError('--attempts', `expected 1 to 20, got ${attempts}`)
  const budgetS = flags.timeBudget === undefined ? null : parseDuration('--time-budget', flags.timeBudget)
  const out = flags.out ?? join(runDir, 'shrunk')
  // A run drawn as a test case (explore, campaign) is shrunk as fast-check shrinks; any other, by delta debugging.
  const testCase = readTestCase(runDir, 'shrink')

  const started = performance.now()
  output.log(
    `shrink: keeping ${target.join(', ')} on ${config.db}${attempts > 1 ? `, ${attempts} attempts a candidate` : ''}, ` +
      (testCase ? 'fast-check from its stored test case' : 'delta debugging over its schedule'),
  )
  let outcome
  try {
    outcome = await shrink({
      config,
      target,
      attempts,
      budgetMs: budgetS === null ? null : budgetS * 1000,
      testCase,
      onRun: (runs) => {
        // A line per candidate on a terminal; in a log, one every 25.
        if (output.live || runs % 25 === 0)
          output.progress(`shrink: ${runs} run(s), ${((performance.now() - started) / 1000).toFixed(0)} s`)
      },
      onStep: (step) => output.log(`shrink: ${stepText(step)}`),
    })
  } catch (error) {
    output.clear()
    process.stdout.write(`${(error as Error).message}\n`)
    return EXIT_INVALID
  }
  output.clear()
  // The smallest test once more as a run of its own: a folder `reproduce` can confirm, with its report.
  const minimal = { ...outcome.config, name: `${outcome.config.name}-shrunk` }
  const confirmed = await runTest(minimal, { log: output.log })
  mkdirSync(out, { recursive: true })
  const testJson = join(out, 'test.json')
  const command = `semisync-chaos run --config ${testJson}`
  const reproduce = `semisync-chaos reproduce ${confirmed.runDir}`
  writeFileSync(testJson, `${JSON.stringify(minimal, null, 2)}\n`)
  writeFileSync(join(out, 'command.txt'), `${command}\n${reproduce}\n`)
  writeFileSync(
    join(out, 'steps.json'),
    `${JSON.stringify({ target, runs: outcome.runs, steps: outcome.steps }, null, 2)}\n`,
  )
  writeFileSync(join(out, 'regression.test.ts'), regressionTest(minimal, target, runDir))
  if (testCase && outcome.testCase) {
    // The smallest is a test case of the same space, so it can be shrunk (or drawn near) again.
    const smallest = { space: testCase.space, testCase: outcome.testCase }
    writeTestCase(out, smallest)
    if (confirmed.runDir) writeTestCase(confirmed.runDir, smallest)
  }
  const seconds = (performance.now() - started) / 1000
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ target, method: outcome.method, steps: outcome.steps, runs: outcome.runs, seconds, interrupted: outcome.interrupted, out, command, runDir: confirmed.runDir, reproduce }, null, 2)}\n`,
    )
  } else {
    const lines = [
      `kept ${target.join(', ')} through ${outcome.steps.length} step(s) (${outcome.method}), ${outcome.runs} run(s), ${seconds.toFixed(1)} s` +
        (outcome.interrupted ? ' (the time budget ended it)' : ''),
      ...outcome.steps.map((s) => `  ${stepText(s)}`),
      `smallest: ${testJson}`,
      `run it: ${command}`,
      `its run: ${confirmed.runDir} (${confirmedKinds(confirmed.results.anomalies)}); confirm: ${reproduce}`,
      `regression test for the engine: ${join(out, 'regression.test.ts')}`,
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  }
  return EXIT_VALID
}

function confirmedKinds(anomalies: ReadonlyArray<{ kind: string }>): string {
  const kinds = [...new Set(anomalies.map((a) => a.kind))].sort()
  return kinds.length > 0 ? kinds.join(', ') : 'no anomaly'
}

function stepText(step: ShrinkStep): string {
  return `${step.what}: ${step.from} → ${step.to}`
}

/** A vitest test that replays the smallest test on the engine and expects the kinds it kept. */
function regressionTest(config: TestConfig, target: readonly AnomalyKind[], runDir: string): string {
  const { resultsDir: _resultsDir, mariadbd: _mariadbd, mysqld: _mysqld, image: _image, ...replayed } = config
  return `// Shrunk by \`semisync-chaos shrink\` from ${runDir}.
// Paste into test/regressions/ of the semisync-chaos repository. It replays the smallest test on the built-in engine
// and passes while the engine still shows ${target.join(', ')}: flip the expectation once that is fixed.
import { expect, it } from 'vitest'
import { validateConfig } from '../../harness/config/validate-config.js'
import { runTest } from '../../harness/run/run-test.js'

const CONFIG = ${JSON.stringify({ ...replayed, db: 'sim' }, null, 2)}

it('replays the shrunk test: ${target.join(', ')}', async () => {
  const { results } = await runTest(validateConfig(CONFIG), { inMemory: true })
  const kinds = results.anomalies.map((a) => a.kind)
${target.map((k) => `  expect(kinds).toContain('${k}')`).join('\n')}
})
`
}
