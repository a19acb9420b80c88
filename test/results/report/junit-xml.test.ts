import { describe, expect, it } from 'vitest'
import type { MatrixRow } from '../../../results/report/matrix-row.js'
import { matrixJunitXml } from '../../../results/report/junit-xml.js'

const row = (fields: Partial<MatrixRow>): MatrixRow => ({
  scenario: 'kill-primary',
  db: 'sim',
  waitPoint: 'after_sync',
  seed: 1,
  expected: [],
  tolerated: [],
  found: [],
  pass: true,
  valid: true,
  runDir: '/store/x',
  ...fields,
})

describe('JUnit for a matrix', () => {
  it('tells a row that ran and was wrong (failure) from one that could not run (error)', () => {
    const xml = matrixJunitXml(
      [
        row({}),
        row({ seed: 2, pass: false, found: ['lost-acked-write'], reason: 'found but not expected: lost-acked-write' }),
        row({
          seed: 3,
          pass: false,
          valid: 'unknown',
          runDir: null,
          error: 'the run failed: n1: mariadbd did not start <x>',
        }),
      ],
      'matrix-sim',
      1.5,
    )
    expect(xml).toContain('tests="3" failures="1" errors="1"')
    expect(xml).toMatch(/<failure message="found but not expected: lost-acked-write">/)
    expect(xml).toMatch(
      /<error message="the run failed: n1: mariadbd did not start &lt;x&gt;">run: \(in memory\)<\/error>/,
    )
    expect(xml.match(/<testcase /g)).toHaveLength(3)
  })
})
