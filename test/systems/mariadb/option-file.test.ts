import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { optionValue } from '../../../systems/real-servers/server-options.js'
import { SKIP_REAL_SERVERS, shortMariadbRun } from './mariadb-available.js'

describe('paths in an option file', () => {
  it('stay bare when nothing in them means anything to the server', () => {
    expect(optionValue('/tmp/ssc-x/nodes/n1/data')).toBe('/tmp/ssc-x/nodes/n1/data')
  })

  it('are quoted when they hold a comment sign, spaces, quotes or backslashes', () => {
    expect(optionValue('/tmp/a #b/data')).toBe('"/tmp/a #b/data"')
    expect(optionValue('/tmp/a"b\\c')).toBe('"/tmp/a\\"b\\\\c"')
  })

  it('are refused when they hold a control character (a newline would inject an option line)', () => {
    expect(() => optionValue('/tmp/x\nlog-error=/etc/passwd')).toThrow(/control character/)
  })
})

describe.skipIf(SKIP_REAL_SERVERS)('a store path the option file must quote', () => {
  it('runs real servers under a folder whose name holds "#" and spaces', async () => {
    const store = join(tempDir(), 'runs #1 and 2')
    const result = await runCli(shortMariadbRun(store))
    expect(result.stderr).not.toMatch(/did not start/)
    expect(result.code).toBe(0)
    expect(readFileSync(join(store, 'latest', 'nodes', 'n1', 'my.cnf'), 'utf8')).toContain(`datadir="${store}/`)
  }, 120_000)
})
