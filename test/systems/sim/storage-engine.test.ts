import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StorageEngine } from '../../../systems/sim/engine/storage-engine.js'

describe('StorageEngine.rowsWithPrefix', () => {
  it('returns exactly the rows whose key starts with the prefix, whatever the key lengths', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[0-9]{1,8}$/), { maxLength: 60 }),
        fc.stringMatching(/^[0-9]{0,6}$/),
        (keys, prefix) => {
          const engine = new StorageEngine()
          engine.apply(keys.map((key) => ({ table: 't', key, value: key })))
          const found = [...engine.rowsWithPrefix('t', prefix).keys].sort()
          expect(found).toEqual(keys.filter((k) => k.startsWith(prefix)).sort())
        },
      ),
    )
  })

  it('with fixed-width keys, a bucket-sized prefix returns exactly its keys (the fast path)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(99_999), { maxLength: 80 }), fc.nat(99), (numbers, group) => {
        const engine = new StorageEngine()
        const keys = numbers.map((n) => String(n).padStart(8, '0'))
        engine.apply(keys.map((key) => ({ table: 't', key, value: Number(key) })))
        const prefix = String(group).padStart(5, '0')
        const found = engine.rowsWithPrefix('t', prefix)
        expect([...found.keys].sort()).toEqual(keys.filter((k) => k.startsWith(prefix)).sort())
        expect(found.values).toEqual(found.keys.map(Number))
      }),
    )
  })

  it('keeps tables apart and sees updates', () => {
    const engine = new StorageEngine()
    engine.apply([
      { table: 'a', key: '000001', value: 1 },
      { table: 'b', key: '000001', value: 2 },
    ])
    engine.apply([{ table: 'a', key: '000001', value: 3 }])
    expect(engine.rowsWithPrefix('a', '000')).toEqual({ keys: ['000001'], values: [3] })
    expect(engine.rowsWithPrefix('b', '000')).toEqual({ keys: ['000001'], values: [2] })
    expect(engine.rowsWithPrefix('c', '')).toEqual({ keys: [], values: [] })
  })
})
