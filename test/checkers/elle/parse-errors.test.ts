import { describe, expect, it } from 'vitest'
import { ElleChecker } from '../../../checkers/elle/index.js'
import { HistoryFormatError } from '../../../core/history/history-format-error.js'
import type { Op } from '../../../core/history/op.js'
import { TxnHistory, append, r } from './txn-history.js'

function formatError(ops: readonly Op[]): HistoryFormatError {
  try {
    new ElleChecker().check(ops, {})
  } catch (err) {
    if (err instanceof HistoryFormatError) return err
    throw err
  }
  throw new Error('expected a HistoryFormatError')
}

/** A history whose op at `badIndex` is malformed, and what the error must say. */
interface Malformed {
  name: string
  build: (h: TxnHistory) => void
  badIndex: number
  problem: RegExp
}

const CASES: Malformed[] = [
  {
    name: 'a value that is not a list',
    build: (h) => h.raw(0, 'invoke', { r: 'x' }),
    badIndex: 0,
    problem: /a txn's value must be a list of micro-ops/,
  },
  {
    name: 'a micro-op that is not a triple',
    build: (h) => h.raw(0, 'invoke', [['r', 'x']]),
    badIndex: 0,
    problem: /micro-op 0 .* is not a \[f, key, value\] triple/,
  },
  {
    name: 'an unknown micro-op',
    build: (h) => {
      h.txn(0, [append('x', 1)])
      h.raw(1, 'invoke', [
        ['r', 'x', null],
        ['write', 'x', 2],
      ])
    },
    badIndex: 2,
    problem: /micro-op 1 \(\["write","x",2\]\) is neither "r" nor "append"/,
  },
  {
    name: 'a key that is neither a string nor an integer',
    build: (h) => h.raw(0, 'invoke', [['append', 1.5, 2]]),
    badIndex: 0,
    problem: /has a key that is neither a string nor an integer/,
  },
  {
    name: 'an append of a non-integer',
    build: (h) => h.raw(0, 'invoke', [['append', 'x', '2']]),
    badIndex: 0,
    problem: /appends something other than an integer/,
  },
  {
    name: 'a read with a value at invoke',
    build: (h) => h.raw(0, 'invoke', [['r', 'x', [1]]]),
    badIndex: 0,
    problem: /invocation already holds a value/,
  },
  {
    name: 'an ok read of something other than a list',
    build: (h) => {
      h.raw(0, 'invoke', [['r', 'x', null]])
      h.raw(0, 'ok', [['r', 'x', 3]])
    },
    badIndex: 1,
    problem: /returned something other than a list of integers or null/,
  },
  {
    name: 'an ok read holding a non-integer',
    build: (h) => {
      h.raw(0, 'invoke', [['r', 'x', null]])
      h.raw(0, 'ok', [['r', 'x', [1, 'two']]])
    },
    badIndex: 1,
    problem: /returned something other than a list of integers or null/,
  },
  {
    name: 'an ok completion with another number of micro-ops',
    build: (h) => {
      h.raw(0, 'invoke', [['r', 'x', null]])
      h.raw(0, 'ok', [])
    },
    badIndex: 1,
    problem: /has 0 micro-op\(s\) but its invocation had 1/,
  },
  {
    name: 'an ok completion that changes a micro-op',
    build: (h) => {
      h.raw(0, 'invoke', [['append', 'x', 1]])
      h.raw(0, 'ok', [['append', 'x', 2]])
    },
    badIndex: 1,
    problem: /micro-op 0 of the ok txn is \["append","x",2\] but was invoked as \["append","x",1\]/,
  },
  {
    name: 'a value appended twice to one key',
    build: (h) => {
      h.txn(0, [append('x', 1)])
      h.txn(1, [append('y', 1), append('x', 1)], 'fail')
    },
    badIndex: 2,
    problem: /appends 1 to key "x", which the txn invoked at op 0 already appended/,
  },
  {
    name: 'a second invoke while a txn is in flight',
    build: (h) => {
      h.invoke(0, [r('x')])
      h.invoke(0, [r('y')])
    },
    badIndex: 1,
    problem: /process 0 invokes a txn while its txn invoked at op 0 has not completed/,
  },
  {
    name: 'a completion without an invoke',
    build: (h) => h.raw(3, 'ok', [['r', 'x', []]]),
    badIndex: 0,
    problem: /a txn ok on process 3, which has no txn in flight/,
  },
]

describe('ElleChecker rejects malformed transactions', () => {
  for (const c of CASES) {
    it(`names the op of ${c.name}`, () => {
      const h = new TxnHistory()
      c.build(h)
      const err = formatError(h.ops())
      expect(err.opIndex).toBe(c.badIndex)
      expect(err.problem).toMatch(c.problem)
      expect(err.message).toMatch(new RegExp(`^history op ${c.badIndex}: `))
    })
  }

  it('accepts fail and info completions whatever value they repeat', () => {
    const h = new TxnHistory()
    h.raw(0, 'invoke', [['append', 'x', 1]])
    h.raw(0, 'fail', null)
    h.raw(1, 'invoke', [['r', 'x', null]])
    h.raw(1, 'info', 'timeout')
    h.txn(2, [r('x', [])])
    expect(new ElleChecker().check(h.ops(), {}).valid).toBe(true)
  })
})
