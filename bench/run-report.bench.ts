/**
 * The run report at scale: a run of about 100k client operations on the engine (faults on a random schedule), its
 * `report.html` rendered, measured (bytes), and opened in headless Chromium from disk, timed from navigation to the
 * page's own "drawn" mark (every chart and the timeline drawn).
 *
 *   node --import tsx bench/run-report.bench.ts [--ops 100000] [--runs 3] [--chromium /usr/bin/chromium]
 *
 * The median of the load times is printed with the size, as a Markdown table row for bench/README.md.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { DEFAULT_CONFIG } from '../harness/config/test-config.js'
import { validateConfig } from '../harness/config/validate-config.js'
import { runTest } from '../harness/run/run-test.js'

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}

async function main(): Promise<void> {
  const targetOps = Number(flag('--ops', '100000'))
  const runs = Number(flag('--runs', '3'))
  const executablePath = flag('--chromium', '/usr/bin/chromium')
  const resultsDir = mkdtempSync(join(tmpdir(), 'ssc-report-bench-'))
  const rate = 2000
  try {
    const config = validateConfig({
      ...DEFAULT_CONFIG,
      rate,
      concurrency: 50,
      // Faults block clients for a while: about half the nominal rate gets through.
      timeLimitS: Math.ceil((2 * targetOps) / rate),
      nemesis: ['kill-primary', 'partition-replica', 'latency', 'stall-applier'],
      nemesisSchedule: 'random',
      nemesisIntervalS: 5,
      seed: 1,
      resultsDir,
    })
    const built = process.hrtime.bigint()
    const outcome = await runTest(config)
    const runS = Number(process.hrtime.bigint() - built) / 1e9
    const reportPath = join(outcome.runDir as string, 'report.html')
    const bytes = statSync(reportPath).size
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
    const loads: number[] = []
    try {
      for (let i = 0; i < runs; i++) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
        const errors: string[] = []
        page.on('pageerror', (error) => errors.push(error.message))
        const started = process.hrtime.bigint()
        await page.goto(pathToFileURL(reportPath).href)
        await page.waitForSelector('body[data-drawn]', { timeout: 60_000 })
        loads.push(Number(process.hrtime.bigint() - started) / 1e6)
        if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
        await page.close()
      }
    } finally {
      await browser.close()
    }
    const sorted = [...loads].sort((a, b) => a - b)
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0
    process.stdout.write(
      `| client ops | report size | load, median of ${runs} (ms) | loads (ms) | run and render (s) |\n` +
        `| ---: | ---: | ---: | --- | ---: |\n` +
        `| ${outcome.results.figures.clientOps} | ${(bytes / 1e6).toFixed(2)} MB | ${median.toFixed(0)} | ` +
        `${loads.map((l) => l.toFixed(0)).join(', ')} | ${runS.toFixed(1)} |\n`,
    )
  } finally {
    rmSync(resultsDir, { recursive: true, force: true })
  }
}

await main()
