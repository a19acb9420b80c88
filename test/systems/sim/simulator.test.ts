import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventQueue, type SimEvent } from '../../../systems/sim/simulator/event-queue.js'
import { SimNetwork } from '../../../systems/sim/simulator/network.js'
import { SimFile } from '../../../systems/sim/simulator/sim-file.js'
import { SeededRandom } from '../../../core/random/seeded-random.js'
import { Simulator } from '../../../systems/sim/simulator/simulator.js'

const MS = 1_000_000

describe('EventQueue', () => {
  it('pops events in (time, seq) order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 200 }), (times) => {
        const queue = new EventQueue()
        times.forEach((time, seq) => queue.push({ time, seq, run: () => {}, cancelled: false }))
        const popped: SimEvent[] = []
        for (let e = queue.pop(); e; e = queue.pop()) popped.push(e)
        expect(popped).toHaveLength(times.length)
        for (let i = 1; i < popped.length; i++) {
          const [a, b] = [popped[i - 1] as SimEvent, popped[i] as SimEvent]
          expect(a.time < b.time || (a.time === b.time && a.seq < b.seq)).toBe(true)
        }
      }),
    )
  })
})

describe('Simulator', () => {
  it('runs events at their virtual time and skips cancelled ones', () => {
    const sim = new Simulator(1)
    const seen: string[] = []
    sim.schedule(5 * MS, () => seen.push(`b@${sim.now()}`))
    sim.schedule(1 * MS, () => seen.push(`a@${sim.now()}`))
    const cancelled = sim.schedule(3 * MS, () => seen.push('never'))
    sim.cancel(cancelled)
    sim.runUntil(10 * MS)
    expect(seen).toEqual([`a@${1 * MS}`, `b@${5 * MS}`])
    expect(sim.now()).toBe(10 * MS)
  })

  it('gives each named stream its own sequence, stable across simulators with the same seed', () => {
    const draws = (seed: number, order: string[]) => {
      const sim = new Simulator(seed)
      return order.map((name) => sim.stream(name).int(0, 1_000_000))
    }
    expect(draws(7, ['a', 'b', 'a'])).toEqual(draws(7, ['a', 'b', 'a']))
    // Drawing from another stream in between does not shift stream a.
    const [a1, , a2] = draws(7, ['a', 'b', 'a'])
    const [c1, c2] = draws(7, ['a', 'a'])
    expect([a1, a2]).toEqual([c1, c2])
    expect(draws(7, ['a'])).not.toEqual(draws(8, ['a']))
  })

  it('SeededRandom.int refuses a range a double cannot hold exactly, instead of drawing forever', () => {
    const random = new SeededRandom(1, 'jitter')
    expect(() => random.int(-(2 ** 62), 2 ** 62)).toThrow(/jitter.*not a range of safe integers/)
    expect(() => random.int(0, 1.5)).toThrow(RangeError)
    expect(() => random.int(5, 4)).toThrow(RangeError)
    // Near miss: the widest exact range still draws.
    const value = random.int(0, Number.MAX_SAFE_INTEGER)
    expect(Number.isSafeInteger(value)).toBe(true)
  })

  it('SeededRandom.pick refuses an empty list with a message naming the stream', () => {
    expect(() => new SeededRandom(1, 'nemesis').pick([])).toThrow(/nemesis/)
  })
})

function network(seed = 1) {
  const sim = new Simulator(seed)
  const net = new SimNetwork<number>(sim, sim.stream('net'), { meanNs: 1 * MS, jitterNs: 2 * MS })
  return { sim, net }
}

describe('SimNetwork', () => {
  it('delivers a stream in order despite jitter', () => {
    const { sim, net } = network()
    const received: number[] = []
    net.listen('b', (port) => {
      port.onMessage = (m) => received.push(m)
      return true
    })
    net.connect('a', 'b', (r) => {
      if (!r.ok) throw new Error('connect failed')
      for (let i = 0; i < 100; i++) r.port.send(i)
    })
    sim.runFor(1000 * MS)
    expect(received).toEqual(Array.from({ length: 100 }, (_, i) => i))
  })

  it('stalls a cut direction and delivers everything, in order, once healed', () => {
    const { sim, net } = network()
    const received: number[] = []
    net.listen('b', (port) => {
      port.onMessage = (m) => received.push(m)
      return true
    })
    net.connect('a', 'b', (r) => {
      if (!r.ok) throw new Error('connect failed')
      r.port.send(1)
      sim.schedule(20 * MS, () => {
        net.cutLink('a', 'b')
        r.port.send(2)
        r.port.send(3)
      })
      sim.schedule(100 * MS, () => {
        expect(received).toEqual([1])
        net.healAll()
        r.port.send(4)
      })
    })
    sim.runFor(1000 * MS)
    expect(received).toEqual([1, 2, 3, 4])
  })

  it('refuses a connection nobody listens for, and times out across a cut link', () => {
    const { sim, net } = network()
    const results: string[] = []
    net.connect('a', 'nobody', (r) => results.push(r.ok ? 'ok' : r.reason))
    net.listen('b', () => true)
    net.cutLink('b', 'a')
    net.connect('a', 'b', (r) => results.push(r.ok ? 'ok' : `${r.reason}@${sim.now()}`))
    sim.runFor(5000 * MS)
    expect(results).toEqual(['refused', `timeout@${2000 * MS}`])
  })

  it('closes every connection of a dead endpoint and drops what it had in flight', () => {
    const { sim, net } = network()
    const received: number[] = []
    let closed = 0
    net.listen('b', (port) => {
      port.onMessage = (m) => received.push(m)
      port.onClose = () => closed++
      return true
    })
    net.connect('a', 'b', (r) => {
      if (!r.ok) throw new Error('connect failed')
      r.port.send(1)
      net.closeAllOf('a')
      r.port.send(2)
    })
    sim.runFor(100 * MS)
    expect(received).toEqual([])
    expect(closed).toBe(1)
  })
})

describe('SimFile', () => {
  const file = () => {
    const sim = new Simulator(1)
    return { sim, f: new SimFile<string>('f', sim, sim.stream('disk'), { fsyncMeanNs: 1 * MS, fsyncJitterNs: 0 }) }
  }

  it('makes appended records durable only after an fsync completes; a crash drops the rest', () => {
    const { sim, f } = file()
    f.append('a')
    f.append('b')
    let synced = false
    f.sync(() => (synced = true))
    f.append('c')
    sim.runFor(2 * MS)
    expect(synced).toBe(true)
    expect(f.durableLength).toBe(2)
    f.crash()
    expect(f.all()).toEqual(['a', 'b'])
  })

  it('an fsync in flight at the crash never completes', () => {
    const { sim, f } = file()
    f.append('a')
    let synced = false
    f.sync(() => (synced = true))
    f.crash()
    sim.runFor(5 * MS)
    expect(synced).toBe(false)
    expect(f.length).toBe(0)
  })

  it('rewrite replaces the file durably', () => {
    const { f } = file()
    f.append('x')
    f.rewrite(['a', 'b'])
    f.crash()
    expect(f.all()).toEqual(['a', 'b'])
  })
})
