import { describe, expect, it } from 'vitest'
import { RowLocks } from '../../../systems/sim/engine/row-locks.js'

describe('RowLocks', () => {
  it('shared locks share; an exclusive one waits for every other holder, but not for its own shared lock', () => {
    const locks = new RowLocks()
    locks.acquire('a', 1, 's')
    expect(locks.conflicts('a', 2, 's')).toBe(false)
    locks.acquire('a', 2, 's')
    expect(locks.conflicts('a', 1, 'x')).toBe(true)
    locks.releaseAll(2)
    expect(locks.conflicts('a', 1, 'x')).toBe(false)
    locks.acquire('a', 1, 'x')
    expect(locks.conflicts('a', 2, 's')).toBe(true)
  })

  it('finds a deadlock through a chain of three waits, and none when the chain is open', () => {
    const locks = new RowLocks()
    locks.acquire('a', 1)
    locks.acquire('b', 2)
    locks.acquire('c', 3)
    locks.wait('b', () => {}, { trxId: 1, mode: 'x' }) // 1 waits for 2
    locks.wait('c', () => {}, { trxId: 2, mode: 'x' }) // 2 waits for 3
    expect(locks.wouldDeadlock('a', 3, 'x')).toBe(true) // 3 waiting for 1 closes the cycle
    expect(locks.wouldDeadlock('a', 4, 'x')).toBe(false) // 4 holds nothing anyone waits for
    locks.stopWaiting(2)
    expect(locks.wouldDeadlock('a', 3, 'x')).toBe(false)
  })

  it('a release wakes the waiters of each row the transaction held', () => {
    const locks = new RowLocks()
    const woken: string[] = []
    locks.acquire('a', 1)
    locks.acquire('b', 1)
    locks.wait('a', () => woken.push('a'))
    locks.wait('b', () => woken.push('b'))
    locks.releaseAll(1)
    expect(woken).toEqual(['a', 'b'])
    expect(locks.conflicts('a', 2, 'x')).toBe(false)
  })
})
