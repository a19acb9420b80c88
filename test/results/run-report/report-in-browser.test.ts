import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findScenario } from '../../../harness/scenarios/catalogue.js'
import { scenarioConfig } from '../../../harness/scenarios/run-scenario.js'
import { runTest } from '../../../harness/run/run-test.js'
import { tempDir } from '../../harness/cli/cli-kit.js'

/** Debian's Chromium (apt-get install chromium); CI installs it, so there the test is required, elsewhere optional. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))
const REQUIRED = process.env.CI === 'true'
const ARTIFACTS = join('store', 'test-artifacts')

describe.skipIf(CHROMIUM === undefined && !REQUIRED)('the run report in a real browser (headless Chromium)', () => {
  let browser: Browser
  let resultsDir: string

  beforeAll(async () => {
    if (CHROMIUM === undefined) throw new Error('CI needs Chromium for the browser tests: apt-get install chromium')
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    resultsDir = tempDir()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (resultsDir) rmSync(resultsDir, { recursive: true, force: true })
  })

  it('opens from disk with no console error, draws every chart and the timeline, and lists the anomalies', async () => {
    // A run with faults, failovers and lost writes: every part of the page has something to show.
    const scenario = findScenario('timeout-fallback')
    if (!scenario) throw new Error('the catalogue lost timeout-fallback')
    const outcome = await runTest(scenarioConfig(scenario, 'after_sync', 1, resultsDir))
    const runDir = outcome.runDir as string
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { anomalies: unknown[] }
    expect(results.anomalies.length).toBeGreaterThan(0)

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(pathToFileURL(join(runDir, 'report.html')).href)
    await page.waitForSelector('body[data-drawn]', { timeout: 20_000 })
    expect(errors).toEqual([])
    expect(await page.getAttribute('body', 'data-drawn')).toBe('6')

    // Each canvas has drawn pixels: the six uPlot charts and the timeline.
    const inked = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((canvas) => {
        const ctx = canvas.getContext('2d')
        if (!ctx || canvas.width === 0 || canvas.height === 0) return 0
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data
        let count = 0
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) count++
        return count
      }),
    )
    expect(inked).toHaveLength(7)
    for (const count of inked) expect(count).toBeGreaterThan(100)

    expect(await page.locator('#anomaly-list .anomaly').count()).toBe(results.anomalies.length)
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'run-report.png'), fullPage: true })
    await page.close()
  }, 60_000)
})
