import { describe, expect, it } from 'vitest'
import { parseDuration } from '../../../harness/config/flag-parsers.js'
import { campaignDraw } from '../../../harness/scenarios/campaign-draws.js'
import { modesOn } from '../../../harness/scenarios/scenario.js'
import { runsOn, scenarioConfig } from '../../../harness/scenarios/run-scenario.js'
import { testCaseArbitrary } from '../../../harness/scenarios/test-case.js'

const SYSTEMS = ['sim', 'mariadb', 'mysql'] as const

describe('campaign draws', () => {
  it('are the same for the same campaign seed and draw, and differ across draws', () => {
    const a = campaignDraw(7, 12, 'sim')
    const b = campaignDraw(7, 12, 'sim')
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    const many = Array.from({ length: 50 }, (_, d) => JSON.stringify(campaignDraw(7, d, 'sim')))
    expect(new Set(many).size).toBe(50)
  })

  it.each(SYSTEMS)(
    'on %s: both kinds, each a valid configuration the system runs, judged as the catalogue says',
    (db) => {
      const draws = Array.from({ length: 200 }, (_, d) => campaignDraw(3, d, db))
      expect(new Set(draws.map((d) => d.kind))).toEqual(new Set(['catalogue', 'random-safe']))
      for (const draw of draws) {
        expect(runsOn(draw.scenario, db)).toBe(true)
        const expectation = modesOn(draw.scenario, db)[draw.mode]
        expect(expectation).toBeDefined()
        // Throws on a configuration the harness would refuse.
        const config = scenarioConfig(draw.scenario, draw.mode, draw.seed, '/tmp/unused', db)
        if (draw.kind === 'random-safe') {
          // The safe side: AFTER_SYNC, no fallback, most-advanced failover; nothing may be found.
          expect(expectation?.expected).toEqual([])
          expect(config).toMatchObject({ waitPoint: 'after_sync', failoverPolicy: 'most-advanced' })
          // A test drawn as explore draws one, kept with its space: its windows are the run's explicit schedule.
          const stored = draw.testCase!
          expect(testCaseArbitrary(stored.space).canShrinkWithoutContext(stored.testCase)).toBe(true)
          expect(stored.space.unsafe).toBe(false)
          expect(config.seed).toBe(stored.testCase.settings.seed)
          expect(config.timeLimitS).toBe(stored.testCase.settings.timeLimitS)
          expect(Array.isArray(config.schedule)).toBe(true)
          const faults = new Set(stored.testCase.faults.map((w) => w.fault))
          expect(config.nemesis).toEqual(faults.size > 0 ? [...faults] : ['none'])
          if (db === 'mariadb') expect(stored.space.faults).not.toContain('kill-primary-and-replica')
          if (db !== 'sim') {
            // Real servers keep the catalogue's load and replicas.
            expect(stored.space.engineLevers).toBe(false)
            expect(config).toMatchObject({ applyTimeUs: 200, concurrency: 10, rate: 100, replicas: 2 })
          }
        } else {
          expect(draw.testCase).toBeUndefined()
        }
      }
    },
  )

  it("never draws a hazard whose catch depends on the seed, but does draw such a scenario's safe modes", () => {
    const drawn = Array.from({ length: 600 }, (_, d) => campaignDraw(11, d, 'sim')).filter(
      (d) => d.kind === 'catalogue',
    )
    const seedDependent = drawn.filter((d) => d.scenario.seedDependent !== undefined)
    for (const { scenario, mode } of seedDependent) expect(modesOn(scenario, 'sim')[mode]?.expected).toEqual([])
    expect(seedDependent.map((d) => `${d.scenario.name} ${d.mode}`)).toContain('register-waiting-commits after_sync')
    // Hazards that are certain on any seed are drawn.
    expect(drawn.some((d) => (modesOn(d.scenario, 'sim')[d.mode]?.expected.length ?? 0) > 0)).toBe(true)
  })
})

describe('durations (--time-budget)', () => {
  it('reads seconds, minutes, hours and their sums', () => {
    expect(parseDuration('--time-budget', '90')).toBe(90)
    expect(parseDuration('--time-budget', '90s')).toBe(90)
    expect(parseDuration('--time-budget', '2m')).toBe(120)
    expect(parseDuration('--time-budget', '1h30m')).toBe(5400)
    expect(parseDuration('--time-budget', '1.5h')).toBe(5400)
  })

  it('refuses anything else, naming the flag', () => {
    for (const bad of ['', 'soon', '2x', '1h30', 'm', '-5s', '5 minutes'])
      expect(() => parseDuration('--time-budget', bad)).toThrow(/--time-budget: expected a duration/)
  })
})
