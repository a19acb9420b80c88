import { describe, it, expect } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HistoryFormatError } from '../../../core/history/history-format-error.js'
import { parseHistory, readHistoryFile } from '../../../results/history/history-reader.js'

const jsonl = (...lines: Array<Record<string, unknown> | string>) =>
  lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n'

/** The HistoryFormatError that parsing `text` throws (fails the test if it parses). */
function formatErrorOf(text: string): HistoryFormatError {
  try {
    parseHistory(text, 'history.jsonl')
  } catch (err) {
    if (err instanceof HistoryFormatError) return err
    throw err
  }
  throw new Error('expected a HistoryFormatError, but the history parsed')
}

const invoke = (index: number, process: number | 'nemesis', f = 'add', extra: Record<string, unknown> = {}) => ({
  index,
  time: index * 10,
  process,
  type: 'invoke',
  f,
  ...extra,
})
const complete = (index: number, process: number, type: string, f = 'add', extra: Record<string, unknown> = {}) => ({
  ...invoke(index, process, f, extra),
  type,
})

describe('parseHistory', () => {
  it('parses the example of the history contract', () => {
    const text = [
      '{"index":0,"time":1200,"process":0,"type":"invoke","f":"write","key":"x","value":3}',
      '{"index":1,"time":5300,"process":0,"type":"ok","f":"write","key":"x","value":3}',
      '{"index":2,"time":6000,"process":1,"type":"invoke","f":"read","key":"x","value":null}',
      '{"index":3,"time":9100,"process":1,"type":"ok","f":"read","key":"x","value":3}',
      '{"index":4,"time":9500,"process":"nemesis","type":"info","f":"kill","value":"n1"}',
    ].join('\n')
    const ops = parseHistory(text)
    expect(ops).toHaveLength(5)
    expect(ops[3]).toEqual({ index: 3, time: 9100, process: 1, type: 'ok', f: 'read', key: 'x', value: 3 })
    expect(ops[4]?.process).toBe('nemesis')
  })

  it('allows blank lines, CRLF, sparse indices and keeps unknown fields', () => {
    const first = JSON.stringify(invoke(3, 0, 'add', { tool: 'elle' }))
    const text = `\n${first}\r\n\n${JSON.stringify(complete(9, 0, 'ok'))}\n\n`
    const ops = parseHistory(text)
    expect(ops.map((op) => op.index)).toEqual([3, 9])
    expect((ops[0] as unknown as Record<string, unknown>)['tool']).toBe('elle')
  })

  it('accepts the final/role extensions and a run that ended with ops in flight', () => {
    const ops = parseHistory(
      jsonl(invoke(0, 0, 'read', { final: true, node: 'n1', role: 'primary' }), invoke(1, 1, 'add', { value: 4 })),
    )
    expect(ops[0]).toMatchObject({ final: true, role: 'primary' })
  })

  it('lets the nemesis do anything', () => {
    const nemesis = (index: number, type: string, f: string) => ({ index, time: index, process: 'nemesis', type, f })
    const ops = parseHistory(jsonl(nemesis(0, 'info', 'kill'), nemesis(1, 'ok', 'heal'), nemesis(2, 'invoke', 'x')))
    expect(ops).toHaveLength(3)
  })

  it('reports malformed JSON with its line', () => {
    const err = formatErrorOf(jsonl(invoke(0, 0), '{"index": 1, "time":'))
    expect(err.line).toBe(2)
    expect(err.file).toBe('history.jsonl')
    expect(err.problem).toMatch(/^not valid JSON/)
    expect(err.message).toMatch(/^history\.jsonl line 2: not valid JSON/)
  })

  it('reports a line that is JSON but not an object', () => {
    const err = formatErrorOf(jsonl('[1, 2]'))
    expect(err.problem).toBe('must be a JSON object (got an array)')
  })

  it('reports a bad type', () => {
    const err = formatErrorOf(jsonl(invoke(0, 0), { ...complete(1, 0, 'done') }))
    expect(err.line).toBe(2)
    expect(err.problem).toBe('"type" must be one of invoke, ok, fail, info (got "done")')
    expect(err.message).toBe('history.jsonl line 2: "type" must be one of invoke, ok, fail, info (got "done")')
  })

  it('reports a missing f', () => {
    const { f: _, ...withoutF } = invoke(0, 0)
    const err = formatErrorOf(jsonl(withoutF))
    expect(err.line).toBe(1)
    expect(err.problem).toBe('"f" must be a non-empty string (missing)')
  })

  it('reports malformed fields', () => {
    expect(formatErrorOf(jsonl({ ...invoke(0, 0), index: -1 })).problem).toBe(
      '"index" must be a non-negative integer (got -1)',
    )
    expect(formatErrorOf(jsonl({ ...invoke(0, 0), time: 1.5 })).problem).toBe(
      '"time" must be a non-negative integer (got 1.5)',
    )
    expect(formatErrorOf(jsonl(invoke(0, 'n' as never))).problem).toBe(
      '"process" must be a non-negative integer or "nemesis" (got "n")',
    )
    expect(formatErrorOf(jsonl(invoke(0, 0, 'add', { key: 3 }))).problem).toBe(
      '"key" must be a string when present (got 3)',
    )
    expect(formatErrorOf(jsonl(invoke(0, 0, 'add', { final: 'yes' }))).problem).toBe(
      '"final" must be a boolean when present (got "yes")',
    )
    expect(formatErrorOf(jsonl(invoke(0, 0, 'add', { role: 'leader' }))).problem).toBe(
      '"role" must be one of primary, replica when present (got "leader")',
    )
  })

  it('reports indices that do not increase', () => {
    const err = formatErrorOf(jsonl(invoke(5, 0), complete(5, 0, 'ok')))
    expect(err.line).toBe(2)
    expect(err.problem).toBe('"index" must be strictly increasing (got 5 after 5 on line 1)')
  })

  it('reports a process used again after its op ended info', () => {
    const err = formatErrorOf(jsonl(invoke(0, 3), complete(1, 3, 'info'), '', invoke(2, 3)))
    expect(err.line).toBe(4)
    expect(err.problem).toBe('process 3 is used again after its op ended "info" on line 2 (crashed processes retire)')
  })

  it('reports a completion without an invoke', () => {
    const err = formatErrorOf(jsonl(invoke(0, 0), complete(1, 0, 'ok'), complete(2, 0, 'fail')))
    expect(err.line).toBe(3)
    expect(err.problem).toBe('"fail" completion for process 0 has no invoke in flight')
  })

  it('reports a double invoke', () => {
    const err = formatErrorOf(jsonl(invoke(0, 1, 'add'), invoke(1, 0, 'read'), invoke(2, 1, 'read')))
    expect(err.line).toBe(3)
    expect(err.problem).toBe('process 1 invokes "read" while its "add" from line 1 is still in flight')
  })

  it('reports a completion whose f does not match its invoke', () => {
    const err = formatErrorOf(jsonl(invoke(0, 0, 'add'), complete(1, 0, 'ok', 'read')))
    expect(err.line).toBe(2)
    expect(err.problem).toBe('"ok" completion has "f" "read" but the invoke on line 1 has "add"')
  })

  it('reports a completion whose key does not match its invoke', () => {
    const err = formatErrorOf(jsonl(invoke(0, 0, 'write', { key: 'x' }), complete(1, 0, 'ok', 'write', { key: 'y' })))
    expect(err.problem).toBe('"ok" completion has "key" "y" but the invoke on line 1 has "x"')
  })
})

describe('readHistoryFile', () => {
  it('reads a file and names it in errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'history-reader-'))
    const good = join(dir, 'good.jsonl')
    writeFileSync(good, jsonl(invoke(0, 0), complete(1, 0, 'ok')))
    expect(await readHistoryFile(good)).toHaveLength(2)

    const bad = join(dir, 'bad.jsonl')
    writeFileSync(bad, jsonl(complete(0, 0, 'ok')))
    const err = await readHistoryFile(bad).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HistoryFormatError)
    expect((err as HistoryFormatError).file).toBe(bad)
    const problem = '"ok" completion for process 0 has no invoke in flight'
    expect((err as HistoryFormatError).message).toBe(`${bad} line 1: ${problem}`)
  })
})
