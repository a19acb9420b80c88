import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseShard } from '../../../harness/config/shard.js'
import { CATALOGUE } from '../../../harness/scenarios/catalogue.js'
import { matrixPlan, type PlannedRow } from '../../../harness/scenarios/matrix-plan.js'
import { runsOn } from '../../../harness/scenarios/run-scenario.js'

const key = (row: PlannedRow): string => `${row.scenario.name} ${row.mode} ${row.seed}`

describe('matrix rows and their shards', () => {
  it('plans every scenario × mode × seed the system runs, in the catalogue order', () => {
    const rows = matrixPlan(
      CATALOGUE.filter((s) => runsOn(s, 'sim')),
      'sim',
      { first: 1, count: 3 },
    )
    expect(rows).toHaveLength(111)
    expect(rows.slice(0, 3).map(key)).toEqual([
      'kill-primary after_sync 1',
      'kill-primary after_sync 2',
      'kill-primary after_sync 3',
    ])
  })

  it('shards 1/n … n/n together run exactly the unsharded rows, each once, and evenly (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sim', 'mariadb', 'mysql'),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        (db, seeds, count) => {
          const scenarios = CATALOGUE.filter((s) => runsOn(s, db))
          const whole = matrixPlan(scenarios, db, { first: 1, count: seeds }).map(key)
          const shards = Array.from({ length: count }, (_, i) =>
            matrixPlan(scenarios, db, { first: 1, count: seeds }, { index: i + 1, count }).map(key),
          )
          expect(shards.flat().sort()).toEqual([...whole].sort())
          expect(new Set(shards.flat()).size).toBe(whole.length)
          const sizes = shards.map((s) => s.length)
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
        },
      ),
    )
  })

  it('reads --shard i/n and refuses what is not one', () => {
    expect(parseShard('--shard', '2/4')).toEqual({ index: 2, count: 4 })
    expect(parseShard('--shard', ' 1 / 1 ')).toEqual({ index: 1, count: 1 })
    for (const bad of ['0/2', '3/2', '1/0', '2', 'a/b', '1/2/3', '-1/2', ''])
      expect(() => parseShard('--shard', bad)).toThrow(/--shard: expected i\/n/)
  })
})
