import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readTestCase, TEST_CASE_FILE, writeTestCase } from '../../../harness/scenarios/test-case-file.js'
import { drawTestCase, engineSpace } from '../../../harness/scenarios/test-case.js'

const dir = mkdtempSync(join(tmpdir(), 'ssc-test-case-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const space = engineSpace(['kill-primary', 'partition-replicas'], {
  maxTimeLimitS: 10,
  maxConcurrency: 5,
  maxRate: 100,
})
const stored = { space, testCase: drawTestCase(space, 7) }

function runWith(content: unknown): string {
  const run = mkdtempSync(join(dir, 'run-'))
  writeFileSync(join(run, TEST_CASE_FILE), typeof content === 'string' ? content : JSON.stringify(content))
  return run
}

describe('a drawn test kept beside its run (test-case.json)', () => {
  it('reads back as it was written; a run without one has none', () => {
    const run = mkdtempSync(join(dir, 'run-'))
    expect(readTestCase(run, 'shrink')).toBeNull()
    writeTestCase(run, stored)
    expect(readTestCase(run, 'shrink')).toEqual(stored)
  })

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['no space', { testCase: stored.testCase }, /space is missing/],
    [
      'an unknown fault',
      { ...stored, space: { ...space, faults: ['meteor'] } },
      /space \.faults must list fault names/,
    ],
    [
      'a limit below its least',
      { ...stored, space: { ...space, limits: { ...space.limits, maxRate: 5 } } },
      /maxRate must be a whole number ≥ 10/,
    ],
    [
      'no unsafe flag',
      { ...stored, space: { ...space, unsafe: 'no' } },
      /\.unsafe and \.engineLevers must be true or false/,
    ],
    [
      'a value outside its space (a run longer than the space allows)',
      { ...stored, testCase: { ...stored.testCase, settings: { ...stored.testCase.settings, timeLimitS: 999 } } },
      /its testCase is not a test of its space/,
    ],
    [
      'a fault its space does not draw',
      { ...stored, testCase: { ...stored.testCase, faults: [{ fault: 'latency', atMs: 0, durationMs: 100 }] } },
      /its testCase is not a test of its space/,
    ],
  ])('%s is bad input naming the file and the command', (_what, content, message) => {
    const run = runWith(content)
    expect(() => readTestCase(run, 'shrink')).toThrow(message)
    expect(() => readTestCase(run, 'shrink')).toThrow(/^shrink: /)
  })
})
