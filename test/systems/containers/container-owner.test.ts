import { spawnSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  currentOwner,
  ownerIsGone,
  ownerLabel,
  parseOwnerLabel,
  processStartTime,
} from '../../../systems/containers/container-owner.js'

describe("a container's owner", () => {
  it('round-trips through its label, whatever the host name', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((h) => !h.includes('\n')),
        fc.nat(),
        fc.nat(),
        (host, pid, start) => {
          const owner = { host, pid, startTime: String(start) }
          expect(parseOwnerLabel(ownerLabel(owner))).toEqual(owner)
        },
      ),
    )
  })

  it('is unreadable from a label someone else wrote', () => {
    expect(parseOwnerLabel('')).toBeNull()
    expect(parseOwnerLabel('host/not-a-pid/1')).toBeNull()
  })

  it('is alive while this process runs', () => {
    expect(ownerIsGone(currentOwner())).toBe(false)
  })

  it('is gone once its process exited', () => {
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'])
    const pid = Number(child.stdout.toString().trim())
    expect(ownerIsGone({ ...currentOwner(), pid })).toBe(true)
  })

  it('is gone when its pid now belongs to a process started later (pid reuse)', () => {
    const me = currentOwner()
    expect(processStartTime(process.pid)).toBe(me.startTime)
    expect(ownerIsGone({ ...me, startTime: String(Number(me.startTime) - 1) })).toBe(true)
  })

  it("is never judged on another host: that machine's runs are not ours to reap", () => {
    expect(ownerIsGone({ host: 'elsewhere', pid: 999_999_999, startTime: '1' }, 'here')).toBe(false)
  })
})
