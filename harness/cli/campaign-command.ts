import { join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import { matrixJunitXml } from '../../results/report/junit-xml.js'
import type { MatrixRow } from '../../results/report/matrix-row.js'
import { readCampaignRecords, writeCampaignRecord, type CampaignRecord } from '../../results/store/campaign-record.js'
import { runDirInStore } from '../../results/store/store-records.js'
import { loadSystem } from '../../systems/registry.js'
import { chosenSystem, type SystemFlags } from './system-flags.js'
import { DEFAULT_CONFIG } from '../config/test-config.js'
import { parseDuration, parseInteger } from '../config/flag-parsers.js'
import { inShard, parseShard, shardText } from '../config/shard.js'
import { preflightSpecOf } from '../run/cluster-spec-for.js'
import { campaignDraw } from '../scenarios/campaign-draws.js'
import { writeTestCase } from '../scenarios/test-case-file.js'
import { describeTestCase } from '../scenarios/test-case.js'
import { runScenarioRow } from '../scenarios/run-scenario.js'
import { progressOutput } from './progress-output.js'
import { writeSiteIndex } from './index-command.js'
import { rowLine, rowsExitCode, rowsSummary, writeJunit } from './row-output.js'

export interface CampaignFlags extends SystemFlags {
  timeBudget?: string
  seed?: string
  shard?: string
  resume?: boolean
  resultsDir?: string
  junit?: string
  json?: boolean
  wallLimit?: string
}

/** Draws a campaign never gets past however long its budget (a guard against a budget that never runs out). */
const MAX_DRAWS = 1_000_000

/**
 * `semisync-chaos campaign`: for a wall-clock budget, runs drawn rows (`campaignDraw`) and judges each as the
 * catalogue does; every unexpected verdict is collected with its run folder. The record in `<store>/campaigns/` is
 * rewritten after each draw, so an interrupted campaign keeps what it ran and `--resume` goes on from there. Exits 1
 * on any unexpected verdict, 253 when some draws could not run and none failed.
 */
export async function campaignCommand(flags: CampaignFlags): Promise<number> {
  const { db, programs, label: system } = chosenSystem(flags)
  const resultsDir = flags.resultsDir ?? DEFAULT_CONFIG.resultsDir
  const shard = flags.shard === undefined ? null : parseShard('--shard', flags.shard)
  const wallLimitS = flags.wallLimit === undefined ? undefined : parseDuration('--wall-limit', flags.wallLimit)
  let record: CampaignRecord
  if (flags.resume) {
    if (flags.seed !== undefined)
      throw new ConfigError('--seed', 'a resumed campaign keeps its own seed: leave --seed out')
    const interrupted = readCampaignRecords(resultsDir)
      .filter((r) => r.system === system && r.shard === shardText(shard) && !r.complete)
      .at(-1)
    if (!interrupted) {
      throw new ConfigError(
        '--resume',
        `no unfinished campaign of ${system}${shard ? ` (shard ${shardText(shard)})` : ''} in ${resultsDir}/campaigns`,
      )
    }
    const { file: _file, ...kept } = interrupted
    record = {
      ...kept,
      timeBudgetS: flags.timeBudget === undefined ? kept.timeBudgetS : parseDuration('--time-budget', flags.timeBudget),
    }
  } else {
    if (flags.timeBudget === undefined) throw new ConfigError('--time-budget', 'say how long to run, e.g. 30m')
    const seed = parseInteger('--seed', flags.seed ?? String(Date.now() % 1_000_000_000))
    if (seed < 0) throw new ConfigError('--seed', `expected a seed ≥ 0, got ${seed}`)
    record = {
      system,
      startedAt: new Date().toISOString(),
      seed,
      timeBudgetS: parseDuration('--time-budget', flags.timeBudget),
      shard: shardText(shard),
      wallSeconds: 0,
      complete: false,
      unexpected: 0,
      rows: [],
    }
  }
  if (!(record.timeBudgetS > 0)) throw new ConfigError('--time-budget', 'expected a budget longer than 0 s')
  // Fail fast, before any draw, if the machine cannot run the system.
  await (await loadSystem(db)).preflight(preflightSpecOf({ ...DEFAULT_CONFIG, ...programs, db }))

  const output = progressOutput(process.stderr, 30_000)
  const spentBefore = record.wallSeconds
  const started = process.hrtime.bigint()
  const spent = (): number => spentBefore + Number(process.hrtime.bigint() - started) / 1e9
  const lastDraw = record.rows.at(-1)?.draw ?? -1
  const shardLabel = shard ? ` (shard ${shardText(shard)})` : ''
  output.log(
    `campaign of ${system}${shardLabel}, seed ${record.seed}, budget ${record.timeBudgetS} s` +
      (record.rows.length > 0
        ? `: resuming after ${record.rows.length} draw(s), ${spentBefore.toFixed(0)} s spent`
        : ''),
  )
  const save = (): string => writeCampaignRecord(resultsDir, { ...record, wallSeconds: spent() })
  let path = save()
  for (let draw = lastDraw + 1; draw < MAX_DRAWS && spent() < record.timeBudgetS; draw++) {
    if (!inShard(draw, shard)) continue
    const { scenario, mode, seed, testCase } = campaignDraw(record.seed, draw, db)
    const rowName = `draw ${draw}: ${scenario.name} [${mode}] seed ${seed}`
    const status = (): string =>
      `${Math.floor(spent())}/${record.timeBudgetS} s · ${record.rows.length} run, ${record.unexpected} unexpected`
    if (output.live) output.progress(`campaign ${status()} · ${rowName}`)
    const row = await runScenarioRow(scenario, mode, seed, {
      resultsDir,
      db,
      programs,
      ...(wallLimitS === undefined ? {} : { wallLimitS }),
      guardInterrupts: true,
      log: output.log,
      progress: (line) => output.progress(`campaign ${status()} · ${rowName} · ${line}`),
      progressIntervalMs: output.intervalMs,
    })
    // Beside its run, the drawn test (`shrink` then shrinks it as fast-check would).
    if (testCase && row.runDir !== null) writeTestCase(row.runDir, testCase)
    record.rows.push({
      ...row,
      runDir: row.runDir === null ? null : runDirInStore(resultsDir, row.runDir),
      draw,
      ...(testCase ? { testCase: { ...testCase } } : {}),
    })
    if (isUnexpected(row)) record.unexpected++
    path = save()
    output.clear()
    if (!flags.json)
      process.stdout.write(`${rowLine(row)}${testCase ? ` {${describeTestCase(testCase.testCase)}}` : ''}\n`)
  }
  record.complete = true
  path = save()
  const wallSeconds = spent()
  const rows: MatrixRow[] = record.rows
  if (flags.junit) writeJunit(flags.junit, matrixJunitXml(rows, `campaign-${db}`, wallSeconds))
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...record, wallSeconds, record: path }, null, 2)}\n`)
  } else {
    process.stdout.write(`\n${rowsSummary(rows, wallSeconds, 'draws')}\n`)
    for (const row of rows.filter(isUnexpected)) {
      process.stdout.write(`unexpected: ${rowLine(row)}${row.runDir ? ` (${join(resultsDir, row.runDir)})` : ''}\n`)
      if (row.runDir) process.stdout.write(`  make it smaller: semisync-chaos shrink ${join(resultsDir, row.runDir)}\n`)
    }
    process.stdout.write(`campaign record: ${path}\n`)
  }
  // The store's index, so the campaign's runs can be browsed (`report --index` makes it again at any time).
  await writeSiteIndex([resultsDir], { print: output.log })
  // A draw whose precondition never happened proved nothing either way: it neither fails nor errs the campaign.
  return rowsExitCode(rows.filter((row) => !row.inconclusive))
}

/** A verdict the catalogue did not expect: a finding (an `error` row had no verdict). */
function isUnexpected(row: MatrixRow): boolean {
  return !row.pass && row.error === undefined
}
