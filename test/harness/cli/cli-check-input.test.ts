import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_BAD_INPUT, EXIT_UNKNOWN, EXIT_VALID } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from './cli-kit.js'

/** Writes JSON Lines (one object a line, indices dense) and returns the path. */
function history(ops: Array<Record<string, unknown>>): string {
  const file = join(tempDir(), 'history.jsonl')
  const lines = ops.map((op, index) => JSON.stringify({ index, time: (index + 1) * 10, ...op }))
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

const add = (process: number, value: unknown, type = 'ok') => [
  { process, type: 'invoke', f: 'add', value },
  { process, type, f: 'add', value },
]

describe('check: malformed values are bad input with the line, never an anomaly or a crash', () => {
  for (const value of ['abc', { n: 1 }, -5, 1e308]) {
    it(`an add of ${JSON.stringify(value)} → 254 naming line 3`, async () => {
      const file = history([...add(0, 1), ...add(1, value), { process: 2, type: 'invoke', f: 'read', value: null }])
      const result = await runCli(['check', file])
      expect(result.code).toBe(EXIT_BAD_INPUT)
      expect(result.stderr).toContain(`${file} line 3:`)
      expect(result.stderr).toMatch(/set elements are non-negative integers/)
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /)
    })
  }

  for (const value of [42, null]) {
    it(`a read of ${JSON.stringify(value)} → 254 naming line 4`, async () => {
      const file = history([
        ...add(0, 1),
        { process: 1, type: 'invoke', f: 'read', value: null },
        { process: 1, type: 'ok', f: 'read', value },
      ])
      const result = await runCli(['check', file])
      expect(result.code).toBe(EXIT_BAD_INPUT)
      expect(result.stderr).toContain(`${file} line 4:`)
    })
  }

  it('a value nested 100,000 deep → 254 naming the line, not a stack overflow', async () => {
    const file = join(tempDir(), 'deep.jsonl')
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    writeFileSync(file, `{"index":0,"time":1,"process":0,"type":"invoke","f":"write","value":${deep}}\n`)
    for (const argv of [
      ['check', file],
      ['check', file, '--checker', 'linearizable'],
    ]) {
      const result = await runCli(argv)
      expect(result.code).toBe(EXIT_BAD_INPUT)
      expect(result.stderr).toMatch(/line 1: nested deeper than/)
    }
  })

  it('--checker linearizable: a cas whose value is not a pair, an unknown f → 254, not a crash', async () => {
    const cas = history([
      { process: 0, type: 'invoke', f: 'cas', value: 5 },
      { process: 0, type: 'ok', f: 'cas', value: 5 },
    ])
    const casResult = await runCli(['check', cas, '--checker', 'linearizable'])
    expect(casResult.code).toBe(EXIT_BAD_INPUT)
    expect(casResult.stderr).not.toMatch(/internal error/)
    const unknownF = history([
      { process: 0, type: 'invoke', f: 'frobnicate', value: 1 },
      { process: 0, type: 'ok', f: 'frobnicate', value: 1 },
    ])
    const fResult = await runCli(['check', unknownF, '--checker', 'linearizable', '--model', 'register'])
    expect(fResult.code).toBe(EXIT_BAD_INPUT)
    expect(fResult.stderr).not.toMatch(/internal error/)
  })
})

describe('check: unknown verdicts say why', () => {
  it('an empty history under --checker linearizable is UNKNOWN (exit 2) with the reason', async () => {
    const file = join(tempDir(), 'empty.jsonl')
    writeFileSync(file, '')
    const result = await runCli(['check', file, '--checker', 'linearizable'])
    expect(result.code).toBe(EXIT_UNKNOWN)
    expect(result.stdout).toMatch(/verdict: UNKNOWN \(.*nothing was checked\)/)
  })

  it('a set history that was never read is UNKNOWN with the reason, in text and JSON', async () => {
    const file = history(add(0, 1))
    const text = await runCli(['check', file])
    expect(text.code).toBe(EXIT_UNKNOWN)
    expect(text.stdout).toMatch(/verdict: UNKNOWN \(set: the set was never read/)
    const json = await runCli(['check', file, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: 'unknown', reason: expect.stringMatching(/never read/) })
  })

  it('without final reads of two nodes, divergence cannot be judged, and the reason says so', async () => {
    const file = history([
      ...add(0, 1),
      { process: 1, type: 'invoke', f: 'read', value: null },
      { process: 1, type: 'ok', f: 'read', value: [1] },
    ])
    const result = await runCli(['check', file])
    expect(result.code).toBe(EXIT_UNKNOWN)
    expect(result.stdout).toMatch(/verdict: UNKNOWN \(divergence: no final state was read/)
  })

  it('near miss: a set history read after every add, with final reads of two nodes, is VALID with no reason', async () => {
    const finalRead = (process: number, node: string, role: string) => [
      { process, type: 'invoke', f: 'read', value: null, final: true, node, role },
      { process, type: 'ok', f: 'read', value: [1], final: true, node, role },
    ]
    const file = history([...add(0, 1), ...finalRead(1, 'n1', 'primary'), ...finalRead(2, 'n2', 'replica')])
    const result = await runCli(['check', file])
    expect(result.code).toBe(EXIT_VALID)
    expect(result.stdout).toMatch(/verdict: VALID\n/)
  })

  it('--html into a folder that does not exist → 254 naming --html, before any work', async () => {
    const file = history(add(0, 1))
    const result = await runCli(['check', file, '--checker', 'linearizable', '--html', '/no/such/dir/x.html'])
    expect(result.code).toBe(EXIT_BAD_INPUT)
    expect(result.stderr).toMatch(/--html: the folder \/no\/such\/dir does not exist/)
  })
})
