import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ANOMALY_KINDS } from '../../checkers/checker.js'
import { ConfigError } from '../../core/errors/config-error.js'
import { FAULT_NAMES, type FaultName } from '../../nemesis/fault-packages.js'
import { DEFAULT_CONFIG } from '../config/test-config.js'
import { parseDuration, parseInteger, parseList } from '../config/flag-parsers.js'
import { runTest } from '../run/run-test.js'
import { explore } from '../scenarios/explore.js'
import { writeTestCase } from '../scenarios/test-case-file.js'
import {
  configOfTestCase,
  describeTestCase,
  engineSpace,
  EXPLORABLE_FAULTS,
  unsafeSettings,
} from '../scenarios/test-case.js'
import { EXIT_INVALID, EXIT_VALID } from './exit-codes.js'
import { progressOutput } from './progress-output.js'

export interface ExploreFlags {
  faults?: string
  unsafe?: boolean
  expect?: string
  numRuns?: string
  timeBudget?: string
  seed?: string
  path?: string
  resultsDir?: string
  json?: boolean
}

/**
 * `semisync-chaos explore`: property-based search over fault schedules on the engine, in the safe configuration or
 * (`--unsafe`) over the safety settings too. On a counterexample, fast-check shrinks it; the smallest is written as a
 * run folder (its test.json holds the schedule, so `reproduce` replays it) with `explore.json` (fast-check's seed and
 * path) and `test-case.json` (the value and its space, which `shrink` reads). Exit 1 when one was found.
 */
export async function exploreCommand(flags: ExploreFlags): Promise<number> {
  const faults: FaultName[] =
    flags.faults === undefined ? [...EXPLORABLE_FAULTS] : parseList('--faults', flags.faults, FAULT_NAMES)
  if (faults.includes('none')) throw new ConfigError('--faults', 'name faults to draw from; none draws nothing')
  const allowed =
    flags.expect === undefined || flags.expect.trim() === 'none'
      ? []
      : parseList('--expect', flags.expect, ANOMALY_KINDS)
  const numRuns = parseInteger('--num-runs', flags.numRuns ?? '100')
  if (numRuns < 1 || numRuns > 1_000_000) throw new ConfigError('--num-runs', `expected 1 to 1000000, got ${numRuns}`)
  const budgetS = flags.timeBudget === undefined ? null : parseDuration('--time-budget', flags.timeBudget)
  const seed = parseInteger('--seed', flags.seed ?? String(Date.now() % 2 ** 31))
  if (flags.path !== undefined && !/^\d+(:\d+)*$/.test(flags.path))
    throw new ConfigError('--path', `expected fast-check's path, digits and colons such as 12:0:3, got "${flags.path}"`)
  const resultsDir = flags.resultsDir ?? DEFAULT_CONFIG.resultsDir

  const space = engineSpace(faults, undefined, flags.unsafe ?? false)

  const output = progressOutput()
  const started = performance.now()
  output.log(
    `explore: ${numRuns} draw(s) over ${faults.join(', ')}${space.unsafe ? ' and the safety settings' : ''}${budgetS === null ? '' : ` for at most ${budgetS} s`}, ` +
      `seed ${seed}${flags.path ? `, replaying path ${flags.path}` : ''}; expect ${allowed.length === 0 ? 'no anomaly' : allowed.join(', ')}`,
  )
  const outcome = await explore({
    space,
    allowed,
    numRuns,
    timeBudgetMs: budgetS === null ? null : budgetS * 1000,
    seed,
    ...(flags.path === undefined ? {} : { path: flags.path }),
    onRun: (runs, shrinking) => {
      if (output.live || runs % 50 === 0)
        output.progress(
          `explore: ${runs} run(s) in ${((performance.now() - started) / 1000).toFixed(0)} s${shrinking ? ' · shrinking a counterexample' : ''}`,
        )
    },
  })
  output.clear()
  const seconds = (performance.now() - started) / 1000
  if (!outcome.counterexample) {
    const why = outcome.interrupted ? ' (the time budget ran out)' : ''
    if (flags.json) process.stdout.write(`${JSON.stringify({ found: false, ...outcome, seconds }, null, 2)}\n`)
    else process.stdout.write(`nothing found: ${outcome.draws} draw(s) held in ${seconds.toFixed(1)} s${why}\n`)
    return EXIT_VALID
  }
  // The smallest counterexample as a run folder of its own, replayable by `reproduce`.
  const config = { ...configOfTestCase(outcome.counterexample), name: 'explore', resultsDir }
  const run = await runTest(config)
  const replay =
    `semisync-chaos explore --seed ${outcome.seed} --path ${outcome.path}` +
    (flags.faults ? ` --faults ${faults.join(',')}` : '') +
    (space.unsafe ? ' --unsafe' : '') +
    (allowed.length > 0 ? ` --expect ${allowed.join(',')}` : '')
  const unsafe = unsafeSettings(outcome.counterexample.policy)
  const record = {
    fastCheck: { seed: outcome.seed, path: outcome.path, draws: outcome.draws, shrinks: outcome.shrinks },
    kinds: outcome.kinds,
    // In the unsafe space a counterexample that needs no unsafe setting is a bug, not a known hazard.
    unsafeSettings: unsafe,
    replay,
    reproduce: `semisync-chaos reproduce ${run.runDir}`,
  }
  if (run.runDir) {
    // The value itself goes in test-case.json, with its space; explore.json says how fast-check came to it.
    writeFileSync(join(run.runDir, 'explore.json'), `${JSON.stringify(record, null, 2)}\n`)
    writeTestCase(run.runDir, { space, testCase: outcome.counterexample })
  }
  if (flags.json) {
    const printed = { found: true, ...record, testCase: outcome.counterexample, runDir: run.runDir, seconds }
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`)
  } else {
    process.stdout.write(
      [
        `found ${outcome.kinds.join(', ')} after ${outcome.draws} draw(s), shrunk in ${outcome.shrinks} step(s), ${seconds.toFixed(1)} s` +
          (outcome.interrupted ? ' (the time budget ended the shrinking)' : ''),
        `smallest: ${describeTestCase(outcome.counterexample)}`,
        ...(space.unsafe
          ? [
              unsafe.length === 0
                ? 'it needs no unsafe setting: the safe configuration fails too'
                : `it needs these unsafe settings: ${unsafe.join(', ')}`,
            ]
          : []),
        `run: ${run.runDir}`,
        `replay: ${replay}`,
        `reproduce: ${record.reproduce}`,
      ].join('\n') + '\n',
    )
  }
  return EXIT_INVALID
}
