import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Op } from '../../../core/history/op.js'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { SKIP_REAL_SERVERS } from '../mariadb/mariadb-available.js'

const dir = tempDir('ssc-restart-roles-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const S = 1e9

describe.skipIf(SKIP_REAL_SERVERS)(
  'a node restarted in the role it has now, not the one its option file was written for',
  () => {
    it('an old primary that rejoined and is killed again comes back as a replica that applies (MariaDB processes)', async () => {
      // n1 boots as the primary, so its option file turns semi-sync's source side on. After a failover it rejoins n2;
      // killed again and restarted, it must not come back with the source side on: with no fallback, its applier would
      // wait for acks no one sends, and the run would end with n1 behind (divergence, recovery not reached).
      const config = {
        db: 'mariadb',
        flavor: 'mariadb',
        timeLimitS: 8,
        rate: 50,
        concurrency: 4,
        semiSyncTimeoutMs: 1_000_000_000,
        failoverPolicy: 'most-advanced',
        rejoin: 'truncate',
        nemesis: ['kill-primary', 'kill-replica'],
        seed: 3,
        schedule: [
          { atNs: 1 * S, action: { f: 'kill', target: 'primary' } },
          { atNs: 1 * S, action: { f: 'failover' } },
          { atNs: 2.5 * S, action: { f: 'start', target: 'killed' } },
          { atNs: 4 * S, action: { f: 'kill', target: { node: 'n1' } } },
          { atNs: 5 * S, action: { f: 'start', target: 'killed' } },
        ],
      }
      const file = join(dir, 'test.json')
      writeFileSync(file, JSON.stringify(config))
      const { code, stdout } = await runCli(['run', '--config', file, '--results-dir', join(dir, 'store'), '--json'])
      const verdict = JSON.parse(stdout) as { valid: unknown; runDir: string; recovery: { recovered: boolean } }
      const starts = readFileSync(join(verdict.runDir, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Op)
        .filter((op) => op.process === 'nemesis' && op.f === 'start' && op.type === 'info')
        .map((op) => op.value)
      expect(starts).toEqual([{ n1: 'rejoined n2 (truncate)' }, { n1: 'restarted as replica of n2' }])
      expect(verdict.recovery.recovered).toBe(true)
      expect(verdict.valid).toBe(true)
      expect(code).toBe(0)
    }, 240_000)
  },
)
