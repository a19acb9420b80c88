import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configFromFlags } from '../../../harness/cli/test-flags.js'
import { tempDir } from './cli-kit.js'

// People share run folders to reproduce each other's failures: running a stored test.json must never run a program
// its author chose. Binaries come from flags or PATH.
describe('a stored test.json never chooses the program to run', () => {
  const stored = (fields: Record<string, unknown>): string => {
    const path = join(tempDir(), 'test.json')
    writeFileSync(path, JSON.stringify({ db: 'mariadb', seed: 3, ...fields }))
    return path
  }

  it('drops the mariadbd a test.json names, and says so', () => {
    const notices: string[] = []
    const config = configFromFlags({ config: stored({ mariadbd: '/tmp/evil-script' }) }, (line) => notices.push(line))
    expect(config.mariadbd).toBeUndefined()
    expect(config.seed).toBe(3) // the rest of the stored config is kept
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/names mariadbd "\/tmp\/evil-script".*found on PATH \(pass --mariadbd to use that one\)/)
  })

  it('drops the mysqld a MySQL test.json names, and keeps its MySQL personality', () => {
    const notices: string[] = []
    const config = configFromFlags(
      { config: stored({ db: 'mysql', flavor: 'mysql', rejoin: 'clone', mysqld: '/tmp/evil-script' }) },
      (line) => notices.push(line),
    )
    expect(config.mysqld).toBeUndefined()
    expect(config).toMatchObject({ db: 'mysql', flavor: 'mysql', rejoin: 'clone', seed: 3 })
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/names mysqld "\/tmp\/evil-script".*\(pass --mysqld to use that one\)/)
  })

  it('drops the container image a test.json names (an image is code too): the servers run as processes', () => {
    const notices: string[] = []
    const config = configFromFlags({ config: stored({ image: 'evil/image:1' }) }, (line) => notices.push(line))
    expect(config.image).toBeUndefined()
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/names image "evil\/image:1".*run as local processes \(pass --image to use that one\)/)
    // Given again as a flag, it is the user's choice.
    expect(configFromFlags({ config: stored({ image: 'evil/image:1' }), image: 'mariadb:11.4' }).image).toBe(
      'mariadb:11.4',
    )
  })

  it("near miss: the same path given as a flag is the user's own choice", () => {
    const notices: string[] = []
    const config = configFromFlags(
      { config: stored({ mariadbd: '/tmp/evil-script' }), mariadbd: '/usr/sbin/mariadbd' },
      (line) => notices.push(line),
    )
    expect(config.mariadbd).toBe('/usr/sbin/mariadbd')
    expect(notices).toEqual([])
  })

  it('a test.json without a program field says nothing', () => {
    const notices: string[] = []
    configFromFlags({ config: stored({}) }, (line) => notices.push(line))
    expect(notices).toEqual([])
  })
})
