import { existsSync, statSync } from 'node:fs'
import { CATALOGUE } from '../scenarios/catalogue.js'
import { runScenarioRow, runsOn } from '../scenarios/run-scenario.js'
import { loadSystem } from '../../systems/registry.js'
import { chosenSystem, type SystemFlags } from './system-flags.js'
import type { MatrixRow } from '../../results/report/matrix-row.js'
import { DEFAULT_CONFIG } from '../config/test-config.js'
import { preflightSpecOf } from '../run/cluster-spec-for.js'
import { ConfigError } from '../../core/errors/config-error.js'
import { matrixJunitXml } from '../../results/report/junit-xml.js'
import { writeMatrixRecord } from '../../results/store/matrix-record.js'
import { parseShard, shardText } from '../config/shard.js'
import { matrixPlan } from '../scenarios/matrix-plan.js'
import { progressOutput } from './progress-output.js'
import { rowLine, rowsExitCode, rowsSummary, writeJunit } from './row-output.js'
import { MATRIX_JSON_FIELDS } from './matrix-json-fields.js'
import { parseInteger, parseNumber } from '../config/flag-parsers.js'

export interface MatrixFlags extends SystemFlags {
  json?: boolean
  seeds?: string
  firstSeed?: string
  scenario?: string[]
  junit?: string
  resultsDir?: string
  attempts?: string
  wallLimit?: string
  shard?: string
}

/** Real servers' timing can miss a row's precondition; the engine's cannot (same seed, same run). */
const DEFAULT_ATTEMPTS = { sim: 1, real: 3 }

/** `semisync-chaos matrix`: runs the scenario catalogue; exits 0 only if every row passes. */
export async function matrixCommand(flags: MatrixFlags): Promise<number> {
  const { db, programs, label: system } = chosenSystem(flags)
  // Fail fast, before any row, if the machine cannot run the system.
  await (await loadSystem(db)).preflight(preflightSpecOf({ ...DEFAULT_CONFIG, ...programs, db }))
  const seeds = parseInteger('--seeds', flags.seeds ?? '3')
  if (seeds < 1 || seeds > 1000) throw new ConfigError('--seeds', `expected 1 to 1000, got ${seeds}`)
  const firstSeed = parseInteger('--first-seed', flags.firstSeed ?? '1')
  if (firstSeed < 0) throw new ConfigError('--first-seed', `expected a seed ≥ 0, got ${firstSeed}`)
  const attempts = parseInteger(
    '--attempts',
    flags.attempts ?? String(db === 'sim' ? DEFAULT_ATTEMPTS.sim : DEFAULT_ATTEMPTS.real),
  )
  if (attempts < 1 || attempts > 20) throw new ConfigError('--attempts', `expected 1 to 20, got ${attempts}`)
  const wallLimitS = flags.wallLimit === undefined ? undefined : parseNumber('--wall-limit', flags.wallLimit)
  if (wallLimitS !== undefined && !(wallLimitS >= 0 && wallLimitS <= 86_400))
    throw new ConfigError('--wall-limit', `expected 0 to 86400 seconds, got ${flags.wallLimit}`)
  if (flags.junit !== undefined && existsSync(flags.junit) && statSync(flags.junit).isDirectory()) {
    throw new ConfigError('--junit', `${flags.junit} is a folder; name the XML file to write`)
  }
  const wanted = flags.scenario ?? []
  for (const name of wanted) {
    if (!CATALOGUE.some((s) => s.name === name)) {
      throw new ConfigError(
        '--scenario',
        `no scenario named "${name}" (known: ${CATALOGUE.map((s) => s.name).join(', ')})`,
      )
    }
  }
  const chosen = CATALOGUE.filter((s) => wanted.length === 0 || wanted.includes(s.name))
  const scenarios = chosen.filter((s) => runsOn(s, db))
  if (!flags.json) {
    for (const s of chosen.filter((c) => !runsOn(c, db)))
      process.stdout.write(`SKIP  ${s.name} on ${db}: ${s.note ?? 'not supported'}\n`)
  }
  const resultsDir = flags.resultsDir ?? DEFAULT_CONFIG.resultsDir
  const shard = flags.shard === undefined ? null : parseShard('--shard', flags.shard)
  const plan = matrixPlan(scenarios, db, { first: firstSeed, count: seeds }, shard)
  const startedAt = new Date().toISOString()
  const started = process.hrtime.bigint()
  const output = progressOutput(process.stderr, 30_000)
  const rows: MatrixRow[] = []
  for (const [position, { scenario, mode, seed }] of plan.entries()) {
    const failedSoFar = rows.filter((r) => !r.pass).length
    const rowName =
      `row ${position + 1}/${plan.length}${shard ? ` of shard ${shardText(shard)}` : ''}` +
      `${failedSoFar > 0 ? ` (${failedSoFar} not passed so far)` : ''}: ${scenario.name} [${mode}] seed ${seed}`
    const row = await runScenarioRow(scenario, mode, seed, {
      resultsDir,
      db,
      programs,
      attempts,
      ...(wallLimitS === undefined ? {} : { wallLimitS }),
      guardInterrupts: true,
      log: output.log,
      progress: (line) => output.progress(`${rowName} · ${line}`),
      progressIntervalMs: output.intervalMs,
    })
    rows.push(row)
    output.clear()
    if (!flags.json) process.stdout.write(`${rowLine(row)}\n`)
  }
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
  if (flags.junit) writeJunit(flags.junit, matrixJunitXml(rows, `matrix-${db}`, wallSeconds))
  // For the results site's matrix page (`report --index`).
  if (rows.length > 0) {
    writeMatrixRecord(resultsDir, { system, startedAt, wallSeconds, rows, shard: shardText(shard) })
  }
  if (flags.json) {
    const out = rows.map((row) =>
      Object.fromEntries(MATRIX_JSON_FIELDS.filter((f) => row[f] !== undefined).map((f) => [f, row[f]])),
    )
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  } else {
    process.stdout.write(`\n${rowsSummary(rows, wallSeconds)}\n`)
  }
  return rowsExitCode(rows)
}
