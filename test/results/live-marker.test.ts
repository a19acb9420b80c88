import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { clearLive, isLive, markLive } from '../../results/store/live-marker.js'
import { tempDir } from '../harness/cli/cli-kit.js'
import { writeLiveMarker } from './store-kit.js'

/** The pid of a process that has exited (and, this soon after, not been handed to another one). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  expect(child.status).toBe(0)
  return child.pid
}

describe('isLive', () => {
  it('is false without a marker', () => {
    expect(isLive(tempDir())).toBe(false)
  })

  it('is true for a marker naming this process on this host', () => {
    const dir = tempDir()
    writeLiveMarker(dir)
    expect(isLive(dir)).toBe(true)
  })

  it('is false for a marker naming a process that is gone (a run killed without cleaning up)', () => {
    const dir = tempDir()
    writeLiveMarker(dir, { pid: deadPid() })
    expect(isLive(dir)).toBe(false)
  })

  it('is true for a marker from another host, whose processes this machine cannot see', () => {
    const dir = tempDir()
    writeLiveMarker(dir, { pid: deadPid(), host: 'another-host.invalid' })
    expect(isLive(dir)).toBe(true)
  })

  it('is false for an unreadable marker or one without a pid', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'live.json'), '{ not json')
    expect(isLive(dir)).toBe(false)
    writeFileSync(join(dir, 'live.json'), '{"host":"x"}')
    expect(isLive(dir)).toBe(false)
  })

  it('follows markLive and clearLive', () => {
    const dir = tempDir()
    markLive(dir)
    expect(isLive(dir)).toBe(true)
    clearLive(dir)
    expect(isLive(dir)).toBe(false)
  })
})
