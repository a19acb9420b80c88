import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../core/errors/config-error.js'
import { EXIT_BAD_INPUT, EXIT_VALID } from '../../../harness/cli/exit-codes.js'
import { prunePolicyOf, type PruneFlags } from '../../../harness/cli/prune-command.js'
import { fakeRun, writeHistory } from '../../results/store-kit.js'
import { runCli, tempDir } from './cli-kit.js'

/** A store with three runs of one test, a day apart (run ids as `newRunFolder` makes them, from now). */
function store(): { dir: string; runIds: string[] } {
  const dir = tempDir()
  const runIds = [3, 2, 1].map((daysAgo) => {
    const id = `${new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace(/[-:]/g, '')}-s${daysAgo}`
    writeHistory(fakeRun(dir, 't', id, { db: 'sim' }, { valid: true }))
    return id
  })
  return { dir, runIds }
}

describe('semisync-chaos prune', () => {
  it('--keep 1 deletes the older runs, lists them and the bytes freed, exit 0', async () => {
    const { dir, runIds } = store()
    const result = await runCli(['prune', dir, '--keep', '1'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(EXIT_VALID)
    expect(readdirSync(join(dir, 't'))).toEqual([runIds[2]])
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines.slice(0, 2).sort()).toEqual(
      [`deleted t/${runIds[0]}`, `deleted t/${runIds[1]}`].map((line) =>
        expect.stringMatching(`^${line} \\(\\d+ bytes\\)$`),
      ),
    )
    expect(lines[2]).toMatch(/^freed \d+ bytes: 2 run\(s\) deleted, 0 history file\(s\) compressed$/)
  })

  it('--older-than 1.5 --compress --dry-run --json prints the plan as one JSON object and changes nothing', async () => {
    const { dir, runIds } = store()
    const result = await runCli(['prune', dir, '--older-than', '1.5', '--compress', '--dry-run', '--json'])
    expect(result.code).toBe(EXIT_VALID)
    const outcome = JSON.parse(result.stdout) as Record<string, unknown>
    expect(outcome).toMatchObject({
      dryRun: true,
      deleted: [{ path: `t/${runIds[0]}` }, { path: `t/${runIds[1]}` }].reverse(),
      compressed: [{ path: `t/${runIds[2]}`, bytesAfter: null }],
      skippedLive: [],
      latest: [],
    })
    expect(typeof outcome.bytesFreed).toBe('number')
    expect(readdirSync(join(dir, 't')).sort()).toEqual([...runIds].sort())
    expect(existsSync(join(dir, 't', runIds[2] ?? '', 'history.jsonl'))).toBe(true)
  })

  const badInput: Array<[string[], string, RegExp]> = [
    [[], '--keep', /--keep <n>, --older-than <days>, or both/],
    [['--keep', '0'], '--keep', /expected a whole number of runs ≥ 1, got 0/],
    [['--keep', '-2'], '--keep', /got -2/],
    [['--keep=-2'], '--keep', /got -2/],
    [['--keep', 'two'], '--keep', /expected a whole number, got "two"/],
    [['--older-than', 'soon'], '--older-than', /expected a number, got "soon"/],
    [['--older-than', '0'], '--older-than', /expected a number of days > 0, got 0/],
    [['--keep', '2', '--older-than', '-1'], '--older-than', /got -1/],
  ]
  for (const [flags, flag, problem] of badInput) {
    it(`prune ${flags.join(' ') || '(no flag)'} → 254 naming ${flag}, nothing deleted`, async () => {
      const { dir, runIds } = store()
      const result = await runCli(['prune', dir, ...flags])
      expect(result.code).toBe(EXIT_BAD_INPUT)
      expect(result.stderr).toContain(`semisync-chaos: ${flag}: `)
      expect(result.stderr).toMatch(problem)
      expect(readdirSync(join(dir, 't')).sort()).toEqual([...runIds].sort())
    })
  }

  it('prune of a path that is not a folder → 254 saying so', async () => {
    const file = join(tempDir(), 'store')
    writeFileSync(file, '')
    const result = await runCli(['prune', file, '--keep', '1'])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toContain(`prune: ${file} is not a folder`)
  })

  it('prunePolicyOf throws a ConfigError naming the flag', () => {
    const fieldOf = (flags: PruneFlags): string => {
      try {
        prunePolicyOf(flags)
        return 'accepted'
      } catch (error) {
        if (error instanceof ConfigError) return error.field
        throw error
      }
    }
    expect(fieldOf({})).toBe('--keep')
    expect(fieldOf({ keep: '1.5' })).toBe('--keep')
    expect(fieldOf({ olderThan: '' })).toBe('--older-than')
    expect(prunePolicyOf({ keep: '3', olderThan: '0.5', compress: true })).toEqual({
      keep: 3,
      olderThanDays: 0.5,
      compress: true,
    })
  })
})
