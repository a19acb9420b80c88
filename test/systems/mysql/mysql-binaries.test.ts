import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findMysql, MissingMysqlError } from '../../../systems/mysql/mysql-binaries.js'
import { tempDir } from '../../harness/cli/cli-kit.js'

/** A stand-in `mysqld` that answers `--version` as the named server does. */
function fakeMysqld(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'mysqld')
  writeFileSync(path, `#!/bin/sh\necho "${path}  Ver ${version}"\n`)
  chmodSync(path, 0o755)
  return path
}

describe('finding Oracle MySQL', () => {
  const saved = { PATH: process.env.PATH, cache: process.env.SEMISYNC_CHAOS_CACHE }
  let root: string
  beforeEach(() => {
    root = tempDir('ssc-mysqld-')
    // An empty cache: only what a test puts on PATH (or in the cache) can be found, besides /var/cache's install.
    process.env.SEMISYNC_CHAOS_CACHE = join(root, 'cache')
  })
  afterEach(() => {
    process.env.PATH = saved.PATH
    if (saved.cache === undefined) delete process.env.SEMISYNC_CHAOS_CACHE
    else process.env.SEMISYNC_CHAOS_CACHE = saved.cache
  })

  it("skips MariaDB's mysqld on PATH and takes the Oracle one after it", () => {
    const mariadb = fakeMysqld(join(root, 'a'), '10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64')
    const mysql = fakeMysqld(join(root, 'b'), '8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)')
    process.env.PATH = `${join(root, 'a')}:${join(root, 'b')}`
    const found = findMysql()
    expect(found.mysqld).toBe(mysql)
    expect(found.mysqld).not.toBe(mariadb)
    expect(found.version).toMatch(/8\.4\.3/)
  })

  it('takes the wrapper setup/install-mysql.sh left in the cache when PATH has no MySQL', () => {
    const wrapper = fakeMysqld(join(root, 'cache', 'mysql', 'bin'), '9.7.4-2 for Linux on x86_64 ((Debian))')
    process.env.PATH = join(root, 'empty')
    expect(findMysql().mysqld).toBe(wrapper)
  })

  it('refuses --mysqld naming MariaDB, or nothing, saying how to get MySQL', () => {
    const mariadb = fakeMysqld(join(root, 'a'), '10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64')
    expect(() => findMysql(mariadb)).toThrow(MissingMysqlError)
    expect(() => findMysql(mariadb)).toThrow(/is MariaDB .*not Oracle MySQL.*setup\/install-mysql\.sh/)
    expect(() => findMysql(join(root, 'nope', 'mysqld'))).toThrow(/mysqld at .*nope\/mysqld not found/)
  })

  it('says which candidates it skipped when none is Oracle MySQL', () => {
    fakeMysqld(join(root, 'a'), '10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64')
    process.env.PATH = join(root, 'a')
    // No installed wrapper anywhere: only PATH's MariaDB (and /usr/sbin's, on a machine with mariadb-server).
    expect(() => findMysql(undefined, [])).toThrow(/no Oracle MySQL mysqld found \(.*a\/mysqld is MariaDB/)
  })
})
