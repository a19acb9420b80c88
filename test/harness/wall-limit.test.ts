import { describe, expect, it } from 'vitest'
import { wallLimitMsFor, withinWallLimit } from '../../harness/run/wall-limit.js'

describe('the wall-clock limit of a run', () => {
  const real = { db: 'mariadb' as const, timeLimitS: 20, recoveryTimeoutS: 60 }

  it('defaults to 3 × the time limit + the recovery timeout + 900 s on real servers', () => {
    expect(wallLimitMsFor(real)).toBe((60 + 60 + 900) * 1000)
    expect(wallLimitMsFor({ ...real, db: 'mysql', timeLimitS: 300 })).toBe((900 + 60 + 900) * 1000)
  })

  it('takes --wall-limit as given, and 0 as none', () => {
    expect(wallLimitMsFor({ ...real, wallLimitS: 4.5 })).toBe(4500)
    expect(wallLimitMsFor({ ...real, wallLimitS: 0 })).toBeNull()
  })

  it('has none on the engine, which runs in virtual time', () => {
    expect(wallLimitMsFor({ ...real, db: 'sim' })).toBeNull()
    expect(wallLimitMsFor({ ...real, db: 'sim', wallLimitS: 5 })).toBeNull()
  })

  it('answers the work when it finishes first, and passes its failure on', async () => {
    await expect(withinWallLimit(Promise.resolve(7), 10_000)).resolves.toEqual({ finished: true, value: 7 })
    await expect(withinWallLimit(Promise.resolve(7), null)).resolves.toEqual({ finished: true, value: 7 })
    await expect(withinWallLimit(Promise.reject(new Error('boom')), 10_000)).rejects.toThrow('boom')
  })

  it('answers unfinished when the limit comes first, and a later failure of the work goes nowhere', async () => {
    let fail = (_: Error): void => {}
    const work = new Promise<number>((_, reject) => (fail = reject))
    await expect(withinWallLimit(work, 20)).resolves.toEqual({ finished: false })
    // An unhandled rejection would fail this test run.
    fail(new Error('the servers went away'))
    await new Promise((resolve) => setTimeout(resolve, 10))
  })
})
