import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../core/errors/config-error.js'
import { readJsonObject } from '../../results/store/run-folder-files.js'
import { FAULT_NAMES, type FaultName } from '../../nemesis/fault-packages.js'
import { testCaseArbitrary, type TestCase, type TestSpace } from './test-case.js'

/**
 * A drawn test beside its run (`<run>/test-case.json`): the value and the space it was drawn from, so `shrink`
 * shrinks it as fast-check would have. test.json stays the run's whole config; this is how it was made.
 */
export interface StoredTestCase {
  space: TestSpace
  testCase: TestCase
}

export const TEST_CASE_FILE = 'test-case.json'

export function writeTestCase(runDir: string, stored: StoredTestCase): void {
  writeFileSync(join(runDir, TEST_CASE_FILE), `${JSON.stringify(stored, null, 2)}\n`)
}

/** The test case stored in `runDir`, or null for a run that was not drawn as one (a catalogue row, a hand-made run). */
export function readTestCase(runDir: string, command: string): StoredTestCase | null {
  const path = join(runDir, TEST_CASE_FILE)
  if (!existsSync(path)) return null
  const stored = readJsonObject(path, command, 'a drawn test case and its space')
  const space = spaceOf(stored.space, path, command)
  // The space's own arbitrary decides what a value of it is; it is also what fast-check can shrink from.
  if (!testCaseArbitrary(space).canShrinkWithoutContext(stored.testCase))
    throw new ConfigError(command, `${path}: its testCase is not a test of its space (edited by hand?)`)
  return { space, testCase: stored.testCase as TestCase }
}

function spaceOf(value: unknown, path: string, command: string): TestSpace {
  const bad = (why: string): never => {
    throw new ConfigError(command, `${path}: space ${why}`)
  }
  if (typeof value !== 'object' || value === null) return bad('is missing')
  const space = value as Record<string, unknown>
  const faults = space.faults
  if (!Array.isArray(faults) || faults.length === 0 || faults.some((f) => !FAULT_NAMES.includes(f as FaultName)))
    return bad(`.faults must list fault names (${FAULT_NAMES.join(', ')})`)
  const limits = space.limits as Record<string, unknown> | undefined
  // A rate is drawn from 10 ops/s up.
  for (const [key, minimum] of [
    ['maxTimeLimitS', 1],
    ['maxConcurrency', 1],
    ['maxRate', 10],
  ] as const)
    if (!Number.isInteger(limits?.[key]) || (limits?.[key] as number) < minimum)
      bad(`.limits.${key} must be a whole number ≥ ${minimum}`)
  if (typeof space.unsafe !== 'boolean' || typeof space.engineLevers !== 'boolean')
    return bad('.unsafe and .engineLevers must be true or false')
  return space as unknown as TestSpace
}
