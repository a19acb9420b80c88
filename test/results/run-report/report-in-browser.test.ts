import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findScenario } from '../../../harness/scenarios/catalogue.js'
import { scenarioConfig } from '../../../harness/scenarios/run-scenario.js'
import { runTest } from '../../../harness/run/run-test.js'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { fakeRun } from '../store-kit.js'

/** Debian's Chromium (apt-get install chromium); CI installs it, so there the test is required, elsewhere optional. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))
const REQUIRED = process.env.CI === 'true'
const ARTIFACTS = join('store', 'test-artifacts')

describe.skipIf(CHROMIUM === undefined && !REQUIRED)('the reports in a real browser (headless Chromium)', () => {
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

  it('the index of a store with 200 runs loads, filters by text and verdict, and sorts', async () => {
    const store = tempDir()
    const kinds = ['lost-acked-write', 'divergence', 'stale-read']
    for (let i = 0; i < 200; i++) {
      const invalid = i % 4 === 0
      fakeRun(
        store,
        i % 2 === 0 ? 'kill-primary' : 'timeout-fallback',
        `20261201T${String(10 + Math.floor(i / 60)).padStart(2, '0')}${String(i % 60).padStart(2, '0')}00.000Z-s${i}`,
        { db: i % 3 === 0 ? 'mariadb' : 'sim', flavor: 'mariadb', waitPoint: 'after_sync', seed: i },
        { valid: invalid ? false : true, anomalies: invalid ? [{ kind: kinds[i % 3] }] : [] },
      )
    }
    const written = await runCli(['report', '--index', store])
    expect(written.code).toBe(0)
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(pathToFileURL(join(store, 'index.html')).href)
    await page.waitForSelector('body[data-drawn]')
    const rows = page.locator('#runs-body tr')
    expect(await rows.count()).toBe(200)
    await page.selectOption('#filter-verdict', 'false')
    expect(await rows.count()).toBe(50)
    expect(await page.locator('#runs-body tr[data-valid="true"]').count()).toBe(0)
    await page.fill('#filter-text', 'divergence')
    // Invalid runs are i = 0, 4, 8, …; divergence is i % 3 === 1 among them.
    const expected = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 4 === 0 && i % 3 === 1).length
    expect(await rows.count()).toBe(expected)
    await page.fill('#filter-text', '')
    await page.selectOption('#filter-verdict', 'all')
    await page.click('th[data-column="4"]') // seed, descending
    expect(await rows.first().locator('td').nth(4).textContent()).toBe('199')
    await page.click('th[data-column="4"]') // ascending
    expect(await rows.first().locator('td').nth(4).textContent()).toBe('0')
    expect(await rows.first().locator('a').getAttribute('href')).toMatch(/^kill-primary\/.*-s0\/report\.html$/)
    expect(errors).toEqual([])
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'store-index.png') })
    await page.close()
    rmSync(store, { recursive: true, force: true })
  }, 60_000)
})
