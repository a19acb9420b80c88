import fc from 'fast-check'
import { burstRateFor, FAULT_NAMES, SLOW_APPLY_TIME_US } from '../../nemesis/fault-packages.js'
import type { FaultName } from '../../nemesis/fault-packages.js'
import { scheduleOfWindows, type FaultWindow } from '../../nemesis/fault-windows.js'
import { DEFAULT_CONFIG, validateConfig, type TestConfig } from '../config/test-config.js'

/**
 * A test as one value: the settings drawn (load, apply time, replicas, time limit, seed) and its faults as explicit
 * windows. `explore` draws and shrinks such values with fast-check; a value becomes a config with an explicit
 * schedule (`configOfTestCase`), which a run folder's test.json stores, so `reproduce` replays it exactly.
 */
export interface TestCase {
  settings: TestCaseSettings
  faults: FaultWindow[]
}

export interface TestCaseSettings {
  timeLimitS: number
  seed: number
  replicas: number
  concurrency: number
  rate: number
  applyTimeUs: number
}

/**
 * What the catalogue calls safe (docs/reference/semisync.md): AFTER_SYNC, no fallback to async, failover to the most
 * advanced replica after draining, the old primary truncated on rejoin. No fault may then lose or expose anything.
 */
export const SAFE_SETTINGS: Partial<TestConfig> = {
  waitPoint: 'after_sync',
  semiSync: true,
  semiSyncTimeoutMs: 1_000_000_000,
  failoverPolicy: 'most-advanced',
  rejoin: 'truncate',
  syncRelayLog: 1,
}

/** The faults the engine takes, every one by default. */
export const EXPLORABLE_FAULTS: readonly FaultName[] = FAULT_NAMES.filter((f) => f !== 'none')

/** How large a drawn test may be: its run's length (and the latest a fault starts), clients and rate. */
export interface TestCaseLimits {
  maxTimeLimitS: number
  maxConcurrency: number
  maxRate: number
}

export const DEFAULT_LIMITS: TestCaseLimits = { maxTimeLimitS: 20, maxConcurrency: 50, maxRate: 2000 }

/**
 * Tests over `faults` in the safe configuration. fast-check shrinks such a value towards fewer faults, each shorter
 * and earlier, fewer replicas and clients, a lower rate and a shorter run: every field's smallest value is the
 * simplest (so a shrunk counterexample reads as the least that still fails).
 */
export function testCaseArbitrary(
  faults: readonly FaultName[] = EXPLORABLE_FAULTS,
  limits: TestCaseLimits = DEFAULT_LIMITS,
): fc.Arbitrary<TestCase> {
  const window = fc.record({
    fault: fc.constantFrom(...faults),
    atMs: fc.integer({ min: 0, max: limits.maxTimeLimitS * 1000 }),
    durationMs: fc.integer({ min: 100, max: 10_000 }),
  })
  return fc.record({
    settings: fc.record({
      timeLimitS: fc.integer({ min: 1, max: limits.maxTimeLimitS }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      replicas: fc.integer({ min: 1, max: 3 }),
      concurrency: fc.integer({ min: 1, max: limits.maxConcurrency }),
      rate: fc.integer({ min: 10, max: limits.maxRate }),
      applyTimeUs: fc.constantFrom(200, 2000, 20_000),
    }),
    faults: fc.array(window, { maxLength: 8 }),
  })
}

/** A test case as the config of one engine run: the safe settings, the drawn ones, the faults as its schedule. */
export function configOfTestCase(testCase: TestCase, base: Partial<TestConfig> = {}): TestConfig {
  const { settings } = testCase
  const config = {
    ...DEFAULT_CONFIG,
    ...base,
    ...SAFE_SETTINGS,
    ...settings,
    db: 'sim' as const,
    semiSyncReplicas: settings.replicas,
    // What the schedule is made of (the schedule itself decides what happens).
    nemesis: [...new Set(testCase.faults.map((w) => w.fault))],
  }
  const schedule = scheduleOfWindows(testCase.faults, settings.timeLimitS * 1e9, {
    latencyMs: config.latencyMs,
    latencyJitterMs: config.latencyJitterMs,
    burstRate: burstRateFor(config.rate),
    slowApplyTimeUs: SLOW_APPLY_TIME_US,
  })
  return validateConfig({ ...config, nemesis: config.nemesis.length > 0 ? config.nemesis : ['none'], schedule })
}

/** A test case in a line: its settings and each fault window. */
export function describeTestCase(testCase: TestCase): string {
  const s = testCase.settings
  const faults = testCase.faults.map((w) => `${w.fault} at ${w.atMs} ms for ${w.durationMs} ms`)
  return (
    `${s.timeLimitS} s, seed ${s.seed}, ${s.replicas} replica(s), ${s.concurrency} client(s) at ${s.rate} ops/s, ` +
    `apply ${s.applyTimeUs} µs; ${faults.length === 0 ? 'no fault' : faults.join('; ')}`
  )
}
