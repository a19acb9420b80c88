import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultTextOf, RUN_OPTIONS, type RunOption } from '../../../harness/config/run-options.js'

// README's `run` flag table is what people read; the option table is what the CLI does. They must agree.
const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8')

/** Flag → default text, from the rows of README's `run` table (a row may document two flags). */
function readmeRunFlags(): Map<string, string> {
  const section = readme.split('### `run`')[1]?.split('\n### ')[0] ?? ''
  const rows = section.split('\n').filter((line) => line.startsWith('| `--'))
  const flags = new Map<string, string>()
  for (const row of rows) {
    const cells = row.split(/(?<!\\)\|/).map((cell) => cell.trim())
    const names = [...(cells[1] ?? '').matchAll(/`(--[a-z-]+)/g)].map((m) => m[1] as string)
    const defaults = (cells[3] ?? '').split(/`,\s*`/).map((d) => d.replace(/`/g, '').trim())
    names.forEach((name, i) =>
      flags.set(name, defaults.length === names.length ? (defaults[i] as string) : (cells[3] ?? '')),
    )
  }
  return flags
}

describe("README's run flags match the option table", () => {
  const documented = readmeRunFlags()
  const options = (Object.values(RUN_OPTIONS) as RunOption[]).filter((o) => o.flag !== null)

  it('reads the table', () => {
    expect(documented.size).toBeGreaterThan(20)
  })

  for (const option of options) {
    it(`${option.flag} is documented with its default`, () => {
      expect(documented.has(option.flag as string), `${option.flag} missing from README`).toBe(true)
      expect(documented.get(option.flag as string)).toBe(defaultTextOf(option))
    })
  }

  it('documents no flag the CLI does not have', () => {
    const known = new Set([...options.map((o) => o.flag), '--config', '--json'])
    expect([...documented.keys()].filter((flag) => !known.has(flag))).toEqual([])
  })
})
