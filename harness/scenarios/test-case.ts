import fc from 'fast-check'
import { burstRateFor, FAULT_NAMES, SLOW_APPLY_TIME_US } from '../../nemesis/fault-packages.js'
import type { FaultName } from '../../nemesis/fault-packages.js'
import { scheduleOfWindows, type FaultWindow } from '../../nemesis/fault-windows.js'
import { DEFAULT_CONFIG, type TestConfig } from '../config/test-config.js'
import { SCENARIO_BASE } from './run-scenario.js'
import { validateConfig } from '../config/validate-config.js'

/**
 * A test as one value: the settings drawn (load, apply time, replicas, time limit, seed), in the unsafe space the
 * safety settings too, and its faults as explicit windows. `explore` draws and shrinks such values with fast-check,
 * `campaign` draws them from a seed, and `shrink` shrinks a stored one (docs/ARCHITECTURE.md, "Drawing and shrinking
 * a test"). A value becomes config over a base (`testCaseOverrides`) with an explicit schedule, which a run folder's
 * test.json stores, so `reproduce` replays it exactly.
 */
export interface TestCase {
  settings: TestCaseSettings
  /** Drawn only in the unsafe space; absent, the base config's safety settings hold. */
  policy?: TestCasePolicy
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

/** The settings the catalogue's hazards turn on (docs/reference/semisync.md). */
export interface TestCasePolicy {
  waitPoint: TestConfig['waitPoint']
  semiSyncTimeoutMs: number
  failoverPolicy: TestConfig['failoverPolicy']
  rejoin: 'truncate' | 'as-is'
  syncRelayLog: number
  flavor: TestConfig['flavor']
}

/** No fallback to async within any run: the primary waits for its ack however long. */
const NO_FALLBACK_MS = 1_000_000_000

/**
 * What the catalogue calls safe: AFTER_SYNC, no fallback to async, failover to the most advanced replica after
 * draining, the old primary truncated on rejoin, a synced relay log. No fault may then lose or expose anything.
 */
export const SAFE_POLICY: TestCasePolicy = {
  waitPoint: 'after_sync',
  semiSyncTimeoutMs: NO_FALLBACK_MS,
  failoverPolicy: 'most-advanced',
  rejoin: 'truncate',
  syncRelayLog: 1,
  flavor: 'mariadb',
}

/** The base `explore` draws over: the engine in the safe configuration. */
export const SAFE_SETTINGS: Partial<TestConfig> = { db: 'sim', semiSync: true, ...SAFE_POLICY }

/** The safety settings of `policy` that differ from the safe ones, as `key: value` (empty: it is safe). */
export function unsafeSettings(policy: TestCasePolicy | undefined): string[] {
  if (!policy) return []
  return (Object.keys(SAFE_POLICY) as Array<keyof TestCasePolicy>)
    .filter((key) => policy[key] !== SAFE_POLICY[key])
    .map((key) => `${key}: ${policy[key]}`)
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
 * Where tests are drawn from. A stored test case keeps its space, so that it is shrunk within the space it was drawn
 * from (fast-check shrinks a value only inside its arbitrary's bounds).
 */
export interface TestSpace {
  faults: readonly FaultName[]
  limits: TestCaseLimits
  /** Also draw the safety settings (wait point, timeout, failover, rejoin, relay-log sync, flavor). */
  unsafe: boolean
  /**
   * Draw the engine's levers (replicas, clients, rate, apply time). Real servers keep the catalogue's: they apply at
   * their own pace, and a load the catalogue has not run there would be a new question, not a draw.
   */
  engineLevers: boolean
}

export function engineSpace(
  faults: readonly FaultName[] = EXPLORABLE_FAULTS,
  limits: TestCaseLimits = DEFAULT_LIMITS,
  unsafe = false,
): TestSpace {
  return { faults: [...faults], limits, unsafe, engineLevers: true }
}

/** The catalogue's load, which real servers keep. */
const CATALOGUE_LEVERS = {
  replicas: SCENARIO_BASE.replicas ?? DEFAULT_CONFIG.replicas,
  concurrency: SCENARIO_BASE.concurrency ?? DEFAULT_CONFIG.concurrency,
  rate: SCENARIO_BASE.rate ?? DEFAULT_CONFIG.rate,
  applyTimeUs: SCENARIO_BASE.applyTimeUs ?? DEFAULT_CONFIG.applyTimeUs,
}

/**
 * Tests in `space`. fast-check shrinks such a value towards fewer faults, each shorter and earlier, fewer replicas and
 * clients, a lower rate, a shorter run and (in the unsafe space) the safe setting of each policy: every field's
 * smallest value is the simplest, so a shrunk counterexample reads as the least that still fails, and names only the
 * unsafe settings it needs.
 */
export function testCaseArbitrary(space: TestSpace): fc.Arbitrary<TestCase> {
  const { limits } = space
  const window = fc.record({
    fault: fc.constantFrom(...space.faults),
    atMs: fc.integer({ min: 0, max: limits.maxTimeLimitS * 1000 }),
    durationMs: fc.integer({ min: 100, max: 10_000 }),
  })
  const lever = (min: number, max: number, fixed: number): fc.Arbitrary<number> =>
    space.engineLevers ? fc.integer({ min, max }) : fc.constant(fixed)
  const settings = fc.record({
    timeLimitS: fc.integer({ min: 1, max: limits.maxTimeLimitS }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    replicas: lever(1, 3, CATALOGUE_LEVERS.replicas),
    concurrency: lever(1, limits.maxConcurrency, CATALOGUE_LEVERS.concurrency),
    rate: lever(10, limits.maxRate, CATALOGUE_LEVERS.rate),
    applyTimeUs: space.engineLevers ? fc.constantFrom(200, 2000, 20_000) : fc.constant(CATALOGUE_LEVERS.applyTimeUs),
  })
  const faults = fc.array(window, { maxLength: 8 })
  if (!space.unsafe) return fc.record({ settings, faults })
  return fc.record({ settings, policy: policyArbitrary(), faults })
}

/** Each safety setting, its safe value first: fast-check shrinks towards the first of `constantFrom`. */
function policyArbitrary(): fc.Arbitrary<TestCasePolicy> {
  return fc.record({
    waitPoint: fc.constantFrom<TestConfig['waitPoint']>('after_sync', 'after_commit'),
    semiSyncTimeoutMs: fc.constantFrom(NO_FALLBACK_MS, 2000, 500, 100),
    failoverPolicy: fc.constantFrom<TestConfig['failoverPolicy']>(
      'most-advanced',
      'most-advanced-semi-sync',
      'most-applied',
      'first-replica',
      'route-first',
    ),
    rejoin: fc.constantFrom<'truncate' | 'as-is'>('truncate', 'as-is'),
    syncRelayLog: fc.constantFrom(1, 0),
    flavor: fc.constantFrom<TestConfig['flavor']>('mariadb', 'mysql'),
  })
}

/**
 * One test of `space`, the same for the same seed (fast-check's generator at that seed): how `campaign` draws, so a
 * campaign's draws are the tests `explore` could have drawn and `shrink` shrinks them the same way.
 */
export function drawTestCase(space: TestSpace, seed: number): TestCase {
  const [drawn] = fc.sample(testCaseArbitrary(space), { seed, numRuns: 1 })
  if (!drawn) throw new Error('fast-check drew no test case')
  return drawn
}

/**
 * What a test case sets over a base config: its settings, its policy (MySQL's personality has no truncation, so it
 * rejoins as it is), the faults it is made of and their windows as the explicit schedule. Laid out with the base's
 * fault options (latency, jitter) and the test's rate.
 */
export function testCaseOverrides(testCase: TestCase, base: Partial<TestConfig>): Partial<TestConfig> {
  const { settings, policy } = testCase
  const merged = { ...DEFAULT_CONFIG, ...base }
  const faults = [...new Set(testCase.faults.map((w) => w.fault))]
  const schedule = scheduleOfWindows(testCase.faults, settings.timeLimitS * 1e9, {
    latencyMs: merged.latencyMs,
    latencyJitterMs: merged.latencyJitterMs,
    burstRate: burstRateFor(settings.rate),
    slowApplyTimeUs: SLOW_APPLY_TIME_US,
  })
  return {
    ...settings,
    semiSyncReplicas: settings.replicas,
    ...(policy
      ? { ...policy, rejoin: policy.flavor === 'mysql' && policy.rejoin === 'truncate' ? 'as-is' : policy.rejoin }
      : {}),
    // What the schedule is made of (the schedule itself decides what happens).
    nemesis: faults.length > 0 ? faults : ['none'],
    schedule,
  }
}

/** A test case as the config of one run over `base` (by default the engine in the safe configuration). */
export function configOfTestCase(testCase: TestCase, base: Partial<TestConfig> = SAFE_SETTINGS): TestConfig {
  return validateConfig({ ...DEFAULT_CONFIG, ...base, ...testCaseOverrides(testCase, base) })
}

/** A test case in a line: its settings, its unsafe settings and each fault window. */
export function describeTestCase(testCase: TestCase): string {
  const s = testCase.settings
  const faults = testCase.faults.map((w) => `${w.fault} at ${w.atMs} ms for ${w.durationMs} ms`)
  const unsafe = unsafeSettings(testCase.policy)
  return (
    `${s.timeLimitS} s, seed ${s.seed}, ${s.replicas} replica(s), ${s.concurrency} client(s) at ${s.rate} ops/s, ` +
    `apply ${s.applyTimeUs} µs; ${unsafe.length === 0 ? 'safe settings' : `unsafe: ${unsafe.join(', ')}`}; ` +
    `${faults.length === 0 ? 'no fault' : faults.join('; ')}`
  )
}
