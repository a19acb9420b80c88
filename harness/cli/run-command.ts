import { runTest } from '../run/run-test.js'
import { runSummaryText } from '../../results/report/terminal-summary.js'
import { configFromFlags } from './test-flags.js'
import { progressOutput } from './progress-output.js'
import { EXIT_OVERRAN, exitCodeFor } from './exit-codes.js'

/** `semisync-chaos run`: one test; prints a summary (or JSON) and returns the verdict's exit code. */
export async function runCommand(flags: Record<string, string | boolean | undefined>): Promise<number> {
  const { json, ...testFlags } = flags
  const config = configFromFlags(testFlags as Record<string, string | undefined>, (line) =>
    process.stderr.write(`semisync-chaos: ${line}\n`),
  )
  // A live line on a terminal (rewritten each second), a plain line every 10 s otherwise (CI logs).
  const output = progressOutput()
  const outcome = await runTest(config, {
    guardInterrupts: true,
    log: output.log,
    progress: output.progress,
    progressIntervalMs: output.intervalMs,
  })
  output.clear()
  const { results } = outcome
  if (json) {
    const kinds: Record<string, number> = {}
    for (const a of results.anomalies) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1
    process.stdout.write(
      `${JSON.stringify({ valid: results.valid, ...(results.reason === undefined ? {} : { reason: results.reason }), anomalies: kinds, runDir: outcome.runDir, seed: config.seed, figures: results.figures, recovery: results.recovery })}\n`,
    )
  } else {
    process.stdout.write(`${runSummaryText(config, outcome.runDir, outcome.history, results)}\n`)
  }
  // A run stopped for overrunning its wall-clock limit says so in its exit code, whatever it recorded until then.
  return results.overran ? EXIT_OVERRAN : exitCodeFor(results.valid)
}
