import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../core/errors/config-error.js'
import { readHistoryFile } from '../../results/history/history-reader.js'
import { historyFileOf } from '../../results/store/history-file.js'
import { checkPrunePolicy, pruneStore, type PrunePolicy } from '../../results/store/prune-store.js'
import { runIdTime } from '../../results/store/run-id-time.js'
import { tempDir } from '../harness/cli/cli-kit.js'
import { fakeRun, SAMPLE_HISTORY, writeHistory, writeLiveMarker } from './store-kit.js'

const NOW = Date.parse('2026-12-10T12:00:00.000Z')
const DAY = 86_400_000

/** A run id as `newRunFolder` makes it, `daysAgo` before NOW. */
const runIdAgo = (daysAgo: number, seed = 1): string =>
  `${new Date(NOW - daysAgo * DAY).toISOString().replace(/[-:]/g, '')}-s${seed}`

/** A finished run with its history, `daysAgo` old. */
function run(store: string, test: string, daysAgo: number, seed = 1): string {
  const dir = fakeRun(store, test, runIdAgo(daysAgo, seed), { db: 'sim', seed }, { valid: true, anomalies: [] })
  writeHistory(dir)
  return dir
}

const pathOf = (test: string, daysAgo: number, seed = 1): string => `${test}/${runIdAgo(daysAgo, seed)}`

/** Every entry under `dir`, links as their targets (never followed), files with their sizes. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {}
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub === '' ? name : `${sub}/${name}`
      const stats = lstatSync(join(dir, rel))
      if (stats.isSymbolicLink()) entries[rel] = `-> ${readlinkSync(join(dir, rel))}`
      else if (stats.isDirectory()) {
        entries[rel] = 'dir'
        walk(rel)
      } else entries[rel] = `${stats.size} bytes`
    }
  }
  walk('')
  return entries
}

/** Three tests: `a` ran daily for four days, `b` once two weeks ago, `c` three times this week. */
function storeWithRuns(): string {
  const store = tempDir()
  for (const days of [1, 2, 3, 4]) run(store, 'a', days)
  run(store, 'b', 14)
  for (const days of [0.25, 5, 6]) run(store, 'c', days)
  return store
}

const prune = (store: string, policy: PrunePolicy, dryRun = false) => pruneStore(store, policy, { now: NOW, dryRun })
const sorted = (paths: string[]): string[] => [...paths].sort()
const deletedPaths = async (store: string, policy: PrunePolicy): Promise<string[]> =>
  (await prune(store, policy)).deleted.map((d) => d.path).sort()

describe('prune: which runs go', () => {
  it('--keep n keeps each test its n newest runs, by the time in the run id', async () => {
    const store = storeWithRuns()
    expect(await deletedPaths(store, { keep: 2 })).toEqual(sorted([pathOf('a', 3), pathOf('a', 4), pathOf('c', 6)]))
    expect(existsSync(join(store, pathOf('a', 2)))).toBe(true)
    expect(existsSync(join(store, pathOf('a', 3)))).toBe(false)
    expect(existsSync(join(store, pathOf('b', 14)))).toBe(true)
  })

  it('orders runs of the same millisecond by id, so a re-numbered run (…-s1-2) counts as the newer', async () => {
    const store = tempDir()
    const first = fakeRun(store, 't', runIdAgo(1), { seed: 1 }, null)
    const second = fakeRun(store, 't', `${runIdAgo(1)}-2`, { seed: 1 }, null)
    await prune(store, { keep: 1 })
    expect([existsSync(first), existsSync(second)]).toEqual([false, true])
  })

  it('--older-than d deletes runs older than d days, fractions allowed', async () => {
    const store = storeWithRuns()
    expect(await deletedPaths(store, { olderThanDays: 4.5 })).toEqual(
      sorted([pathOf('b', 14), pathOf('c', 5), pathOf('c', 6)]),
    )
    expect(await deletedPaths(store, { olderThanDays: 0.5 })).toEqual(sorted([1, 2, 3, 4].map((d) => pathOf('a', d))))
    expect(readdirSync(join(store, 'c'))).toEqual([runIdAgo(0.25)])
  })

  it('with both, a run goes only when it is older than d and not among its test’s n newest', async () => {
    const store = storeWithRuns()
    expect(await deletedPaths(store, { keep: 1, olderThanDays: 2.5 })).toEqual(
      sorted([pathOf('a', 3), pathOf('a', 4), pathOf('c', 5), pathOf('c', 6)]),
    )
    // b's only run is two weeks old, and still the newest of its test.
    expect(existsSync(join(store, pathOf('b', 14)))).toBe(true)
  })

  it('reports the bytes each deleted run held, and their total', async () => {
    const store = tempDir()
    const dir = run(store, 't', 3)
    writeFileSync(join(dir, 'n1.log'), 'x'.repeat(1000))
    run(store, 't', 1)
    const expected = Object.values(snapshot(dir))
      .filter((entry) => entry.endsWith(' bytes'))
      .reduce((sum, entry) => sum + Number.parseInt(entry, 10), 0)
    const outcome = await prune(store, { keep: 1 })
    expect(outcome.deleted).toEqual([{ path: pathOf('t', 3), bytes: expected }])
    expect(outcome.bytesFreed).toBe(expected)
    expect(expected).toBeGreaterThan(1000 + SAMPLE_HISTORY.length)
  })

  it('touches nothing that is not a run folder: matrices, other files, folders without test.json or a timed id', async () => {
    const store = storeWithRuns()
    mkdirSync(join(store, 'matrices'))
    writeFileSync(join(store, 'matrices', 'sim-20260101T000000.000Z.json'), '{}')
    mkdirSync(join(store, 'ci'))
    writeFileSync(join(store, 'ci', 'matrix.junit.xml'), '<testsuites/>')
    const noTestJson = join(store, 'a', runIdAgo(30, 9))
    mkdirSync(noTestJson)
    writeFileSync(join(noTestJson, 'history.jsonl'), SAMPLE_HISTORY)
    fakeRun(store, 'a', 'not-a-time', {}, null)
    const before = snapshot(store)
    await prune(store, { keep: 1 })
    const after = snapshot(store)
    const bystanders = Object.keys(before).filter(
      (path) => /^(matrices|ci|a\/not-a-time)(\/|$)/.test(path) || path.startsWith(`a/${runIdAgo(30, 9)}`),
    )
    expect(bystanders).toHaveLength(9)
    for (const path of bystanders) expect([path, after[path]]).toEqual([path, before[path]])
  })
})

describe('prune: live runs', () => {
  it('never deletes a live run (this process’s marker), and lists it as skipped', async () => {
    const store = storeWithRuns()
    writeLiveMarker(join(store, pathOf('a', 4)))
    writeLiveMarker(join(store, pathOf('a', 3)), { host: 'another-host.invalid' })
    const outcome = await prune(store, { keep: 1 })
    expect(outcome.skippedLive.sort()).toEqual(sorted([pathOf('a', 3), pathOf('a', 4)]))
    expect(outcome.deleted.map((d) => d.path).sort()).toEqual(sorted([pathOf('a', 2), pathOf('c', 5), pathOf('c', 6)]))
    expect(snapshot(join(store, pathOf('a', 4)))).toMatchObject({ 'history.jsonl': `${SAMPLE_HISTORY.length} bytes` })
  })

  it('deletes a run whose marker names a process that is gone (killed without cleaning up)', async () => {
    const store = storeWithRuns()
    const exited = spawnSync(process.execPath, ['-e', ''])
    writeLiveMarker(join(store, pathOf('a', 4)), { pid: exited.pid })
    expect(await deletedPaths(store, { keep: 3 })).toEqual([pathOf('a', 4)])
  })

  it('a live run counts among the newest it keeps', async () => {
    const store = storeWithRuns()
    writeLiveMarker(join(store, pathOf('a', 1)))
    expect(await deletedPaths(store, { keep: 2 })).toEqual(sorted([pathOf('a', 3), pathOf('a', 4), pathOf('c', 6)]))
  })
})

describe('prune: latest links', () => {
  it('repoints latest links that named a deleted run to the newest remaining finished run, and removes the rest', async () => {
    const store = tempDir()
    for (const days of [10, 11]) run(store, 'old', days)
    run(store, 'a', 9)
    run(store, 'a', 5)
    run(store, 'a', 0.1)
    writeLiveMarker(join(store, pathOf('a', 0.1)))
    symlinkSync(join('old', runIdAgo(10)), join(store, 'latest'))
    symlinkSync(runIdAgo(10), join(store, 'old', 'latest'))
    symlinkSync(runIdAgo(9), join(store, 'a', 'latest'))
    const outcome = await prune(store, { olderThanDays: 7 })
    expect(outcome.latest.sort((x, y) => x.link.localeCompare(y.link))).toEqual([
      { link: 'a/latest', target: pathOf('a', 5) },
      { link: 'latest', target: pathOf('a', 5) },
      { link: 'old/latest', target: null },
    ])
    // Relative links, as `run` makes them; the live run is not "latest" until it ends.
    expect(readlinkSync(join(store, 'latest'))).toBe(join('a', runIdAgo(5)))
    expect(readlinkSync(join(store, 'a', 'latest'))).toBe(runIdAgo(5))
    await expect(readHistoryFile(join(store, 'latest', 'history.jsonl'))).resolves.toHaveLength(11)
    // Every run of `old` went: its folder too, with its link.
    expect(existsSync(join(store, 'old'))).toBe(false)
  })

  it('leaves links that name a run it kept', async () => {
    const store = storeWithRuns()
    symlinkSync(join('c', runIdAgo(0.25)), join(store, 'latest'))
    symlinkSync(runIdAgo(1), join(store, 'a', 'latest'))
    const outcome = await prune(store, { keep: 1 })
    expect(outcome.latest).toEqual([])
    expect(readlinkSync(join(store, 'latest'))).toBe(join('c', runIdAgo(0.25)))
    expect(readlinkSync(join(store, 'a', 'latest'))).toBe(runIdAgo(1))
  })

  it('removes the store’s latest when no finished run is left anywhere', async () => {
    const store = tempDir()
    run(store, 'a', 10)
    symlinkSync(join('a', runIdAgo(10)), join(store, 'latest'))
    const outcome = await prune(store, { olderThanDays: 1 })
    expect(outcome.latest).toEqual([{ link: 'latest', target: null }])
    expect(readdirSync(store)).toEqual([])
  })
})

describe('prune: symbolic links', () => {
  it('follows no link out of the store: linked test folders, linked runs and links inside a deleted run', async () => {
    const outside = tempDir()
    const store = tempDir()
    const outsideRun = run(outside, 'elsewhere', 30)
    mkdirSync(join(outside, 'keep-me'))
    writeFileSync(join(outside, 'keep-me', 'precious.txt'), 'precious')
    symlinkSync(join(outside, 'elsewhere'), join(store, 'escape'))
    run(store, 'a', 1)
    symlinkSync(outsideRun, join(store, 'a', runIdAgo(20)))
    const doomed = run(store, 'a', 10)
    symlinkSync(join(outside, 'keep-me'), join(doomed, 'nodes'))
    const outsideBefore = snapshot(outside)

    const outcome = await prune(store, { olderThanDays: 5 })
    expect(outcome.deleted.map((d) => d.path)).toEqual([pathOf('a', 10)])
    expect(snapshot(outside)).toEqual(outsideBefore)
    expect(lstatSync(join(store, 'escape')).isSymbolicLink()).toBe(true)
    expect(lstatSync(join(store, 'a', runIdAgo(20))).isSymbolicLink()).toBe(true)
  })
})

describe('prune --dry-run', () => {
  it('changes nothing and says what a real prune would do', async () => {
    const store = storeWithRuns()
    symlinkSync(join('a', runIdAgo(4)), join(store, 'latest'))
    const before = snapshot(store)
    const policy: PrunePolicy = { keep: 1, compress: true }
    const planned = await prune(store, policy, true)
    expect(snapshot(store)).toEqual(before)
    expect(planned.dryRun).toBe(true)
    expect(planned.compressed.every((c) => c.bytesAfter === null && c.bytesBefore === SAMPLE_HISTORY.length)).toBe(true)

    const done = await prune(store, policy)
    expect(done.deleted).toEqual(planned.deleted)
    expect(done.latest).toEqual(planned.latest)
    expect(done.compressed.map((c) => c.path)).toEqual(planned.compressed.map((c) => c.path))
  })
})

describe('prune --compress', () => {
  it('gzips every finished run it keeps; the history reads back the same, and a live run is left alone', async () => {
    const store = storeWithRuns()
    const live = join(store, pathOf('c', 0.25))
    writeLiveMarker(live)
    const before = new Map<string, unknown>()
    for (const days of [1, 2])
      before.set(pathOf('a', days), await readHistoryFile(join(store, pathOf('a', days), 'history.jsonl')))

    const outcome = await prune(store, { keep: 2, compress: true })
    expect(outcome.compressed.map((c) => c.path).sort()).toEqual(
      sorted([pathOf('a', 1), pathOf('a', 2), pathOf('b', 14), pathOf('c', 5)]),
    )
    expect(outcome.skippedLive).toEqual([pathOf('c', 0.25)])
    const savings = outcome.compressed.reduce((sum, c) => sum + c.bytesBefore - (c.bytesAfter ?? 0), 0)
    expect(savings).toBeGreaterThan(0)
    expect(outcome.bytesFreed).toBe(outcome.deleted.reduce((sum, d) => sum + d.bytes, 0) + savings)

    for (const [path, ops] of before) {
      const dir = join(store, path)
      expect(readdirSync(dir).sort()).toEqual(['history.jsonl.gz', 'report.html', 'results.json', 'test.json'])
      expect(historyFileOf(dir)).toBe(join(dir, 'history.jsonl.gz'))
      expect(await readHistoryFile(join(dir, 'history.jsonl.gz'))).toEqual(ops)
    }
    expect(historyFileOf(live)).toBe(join(live, 'history.jsonl'))

    const again = await prune(store, { keep: 2, compress: true })
    expect([again.compressed, again.deleted]).toEqual([[], []])
  })

  it('finishes a compression a crash interrupted (both files there): the gzip is made again, the plain file goes', async () => {
    const store = tempDir()
    const dir = run(store, 't', 1)
    writeHistory(dir, SAMPLE_HISTORY, { gzip: true })
    const outcome = await prune(store, { keep: 1, compress: true })
    expect(outcome.compressed.map((c) => c.path)).toEqual([pathOf('t', 1)])
    expect(readdirSync(dir)).not.toContain('history.jsonl')
    expect(await readHistoryFile(join(dir, 'history.jsonl.gz'))).toHaveLength(11)
  })
})

describe('prune: bad policies and stores', () => {
  const fieldOf = (policy: PrunePolicy): string => {
    try {
      checkPrunePolicy(policy)
    } catch (error) {
      if (error instanceof ConfigError) return error.field
      throw error
    }
    return 'accepted'
  }

  it('needs --keep or --older-than, a whole --keep ≥ 1 and an --older-than > 0', () => {
    expect(fieldOf({})).toBe('--keep')
    expect(fieldOf({ compress: true })).toBe('--keep')
    for (const keep of [0, -1, 1.5, Number.NaN]) expect(fieldOf({ keep })).toBe('--keep')
    for (const olderThanDays of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(fieldOf({ olderThanDays })).toBe('--older-than')
    }
    expect(fieldOf({ keep: 1, olderThanDays: 0.01 })).toBe('accepted')
  })

  it('checks the policy before reading the store, and refuses a store that is no folder', async () => {
    const store = storeWithRuns()
    const before = snapshot(store)
    await expect(prune(store, { keep: 0 })).rejects.toThrow(ConfigError)
    expect(snapshot(store)).toEqual(before)
    await expect(prune(join(store, 'a', runIdAgo(1), 'test.json'), { keep: 1 })).rejects.toThrow(/is not a folder/)
    await expect(prune(join(store, 'missing'), { keep: 1 })).rejects.toThrow(/cannot read the store .*ENOENT/)
  })
})

describe('runIdTime', () => {
  it('reads the UTC time newRunFolder stamps, and nothing else', () => {
    expect(runIdTime('20261121T131500.123Z-s42')).toBe(Date.parse('2026-11-21T13:15:00.123Z'))
    expect(runIdTime('20261121T131500.123Z-s42-2')).toBe(Date.parse('2026-11-21T13:15:00.123Z'))
    for (const id of ['latest', 'not-a-time', '20261321T131500.123Z-s1', '20261121T131500.123Zs1']) {
      expect(runIdTime(id)).toBeNull()
    }
  })
})
