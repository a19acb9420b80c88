import { describe, it, expect, afterAll } from 'vitest'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseHistory } from '../../../results/history/history-reader.js'
import { HistoryRecorder, serializeOp } from '../../../results/history/history-recorder.js'
import type { Op, OpDraft, OpType } from '../../../core/history/op.js'

const dir = mkdtempSync(join(tmpdir(), 'history-recorder-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const freshPath = () => join(dir, `history-${files++}.jsonl`)

/** A clock that advances 1 µs per reading. */
const steppingClock = () => {
  let t = 0
  return () => (t += 1000)
}

/** JSON values as a JSON.parse could produce them again (`-0` does not survive JSON text). */
const jsonArb = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown)

describe('serializeOp', () => {
  it('writes fields in the fixed order, extras last, undefined omitted', () => {
    const op = {
      tool: 'x',
      role: 'primary',
      final: true,
      error: undefined,
      node: 'n1',
      value: [1, 2],
      key: undefined,
      f: 'read',
      type: 'ok',
      process: 2,
      time: 50,
      index: 7,
      another: { b: 1 },
    } as unknown as Op
    expect(serializeOp(op)).toBe(
      '{"index":7,"time":50,"process":2,"type":"ok","f":"read","value":[1,2],"node":"n1","final":true,' +
        '"role":"primary","tool":"x","another":{"b":1}}',
    )
  })

  it('names the op when a value cannot be serialised', () => {
    const op = { index: 3, time: 0, process: 0, type: 'invoke', f: 'add', value: 10n } as unknown as Op
    expect(() => serializeOp(op)).toThrow(/cannot serialise field "value" of op 3 \(add\)/)
  })

  it('is deterministic whatever order the fields were inserted in', () => {
    const fixedArb = fc.record(
      {
        index: fc.nat(),
        time: fc.nat(),
        process: fc.oneof(fc.nat(), fc.constant('nemesis' as const)),
        type: fc.constantFrom<OpType>('invoke', 'ok', 'fail', 'info'),
        f: fc.string({ minLength: 1 }),
        key: fc.string(),
        value: jsonArb,
        node: fc.string(),
        error: fc.string(),
        final: fc.boolean(),
        role: fc.constantFrom('primary' as const, 'replica' as const),
      },
      { requiredKeys: ['index', 'time', 'process', 'type', 'f'] },
    )
    const extrasArb = fc.uniqueArray(fc.tuple(fc.constantFrom('tool', 'trace', 'span', 'alpha'), jsonArb), {
      selector: ([name]) => name,
      maxLength: 3,
    })
    const sortKeysArb = fc.array(fc.nat(), { minLength: 16, maxLength: 16 })
    fc.assert(
      fc.property(fixedArb, extrasArb, sortKeysArb, (fixed, extras, sortKeys) => {
        const entries: Array<[string, unknown]> = [...Object.entries(fixed), ...extras]
        const shuffled = entries
          .map((entry, i) => ({ entry, rank: sortKeys[i] ?? 0 }))
          .sort((a, b) => a.rank - b.rank)
          .map(({ entry }) => entry)
        // Extras keep their relative order (it is part of the output); the fixed fields may move anywhere.
        const extraNames = new Set<string>(extras.map(([name]) => name))
        const remainingExtras = [...extras]
        const reordered = shuffled.map((entry) =>
          extraNames.has(entry[0]) ? (remainingExtras.shift() ?? entry) : entry,
        )

        const original = serializeOp(Object.fromEntries(entries) as unknown as Op)
        expect(serializeOp(Object.fromEntries(reordered) as unknown as Op)).toBe(original)
        const order = ['index', 'time', 'process', 'type', 'f', 'key', 'value', 'node', 'error', 'final', 'role']
        const expectedKeys = [...order.filter((name) => name in fixed), ...extras.map(([name]) => name)]
        expect(Object.keys(JSON.parse(original) as object)).toEqual(expectedKeys)
      }),
    )
  })
})

describe('HistoryRecorder', () => {
  it('stamps ops with the next index and the clock time and keeps them', () => {
    const recorder = new HistoryRecorder({ path: null, now: steppingClock() })
    const first = recorder.record({ process: 0, type: 'invoke', f: 'add', value: 1 })
    const second = recorder.record({ process: 0, type: 'ok', f: 'add', value: 1, node: undefined })
    expect(first).toEqual({ index: 0, time: 1000, process: 0, type: 'invoke', f: 'add', value: 1 })
    expect(second).toStrictEqual({ index: 1, time: 2000, process: 0, type: 'ok', f: 'add', value: 1 })
    expect(recorder.ops()).toEqual([first, second])
  })

  it('creates (truncates) the file at construction', () => {
    const path = freshPath()
    writeFileSync(path, 'left over from an earlier run\n')
    const recorder = new HistoryRecorder({ path, now: steppingClock() })
    expect(readFileSync(path, 'utf8')).toBe('')
    recorder.close()
  })

  it('buffers small writes, flushes on demand and once the buffer passes 64 KiB', () => {
    const path = freshPath()
    const recorder = new HistoryRecorder({ path, now: steppingClock() })
    recorder.record({ process: 0, type: 'invoke', f: 'add', value: 1 })
    expect(readFileSync(path, 'utf8')).toBe('')
    recorder.flush()
    expect(readFileSync(path, 'utf8')).toBe('{"index":0,"time":1000,"process":0,"type":"invoke","f":"add","value":1}\n')

    const padding = 'x'.repeat(1024)
    for (let i = 0; i < 70; i++) recorder.record({ process: 'nemesis', type: 'info', f: 'noise', value: padding })
    expect(readFileSync(path, 'utf8').length).toBeGreaterThan(64 * 1024)
    recorder.close()
    expect(parseHistory(readFileSync(path, 'utf8'))).toHaveLength(71)
  })

  it('keeps the fixed order on disk when an extra field has an integer-like name (JSON.stringify would list it first)', () => {
    const path = freshPath()
    const recorder = new HistoryRecorder({ path, now: steppingClock() })
    recorder.record({ process: 1, type: 'ok', f: 'read', value: [1], ...{ '7': 'seven', tag: 't' } } as OpDraft)
    recorder.record({ process: 1, type: 'ok', f: 'read', value: [2], ...{ tag: 'only a named extra' } } as OpDraft)
    recorder.close()
    expect(readFileSync(path, 'utf8')).toBe(
      '{"index":0,"time":1000,"process":1,"type":"ok","f":"read","value":[1],"7":"seven","tag":"t"}\n' +
        '{"index":1,"time":2000,"process":1,"type":"ok","f":"read","value":[2],"tag":"only a named extra"}\n',
    )
  })

  it('ends the history at close: later records are dropped and counted, and close is idempotent', () => {
    const path = freshPath()
    const recorder = new HistoryRecorder({ path, now: steppingClock() })
    recorder.record({ process: 0, type: 'invoke', f: 'add', value: 1 })
    recorder.close()
    recorder.close()
    recorder.record({ process: 0, type: 'ok', f: 'add', value: 1 })
    expect(recorder.dropped).toBe(1)
    expect(recorder.ops()).toHaveLength(1)
    expect(parseHistory(readFileSync(path, 'utf8'))).toHaveLength(1)
  })

  it('writes a file that parseHistory reads back as the same ops', () => {
    type Step =
      | { kind: 'client'; slot: number; f: string; outcome: Exclude<OpType, 'invoke'> | 'none'; fields: Partial<Op> }
      | { kind: 'nemesis'; type: OpType; f: string; value: unknown }
    const fieldsArb = fc.record(
      {
        key: fc.option(fc.string(), { nil: undefined }),
        value: jsonArb,
        node: fc.constantFrom('n1', 'n2', 'n3'),
        error: fc.string(),
        final: fc.boolean(),
        role: fc.constantFrom('primary' as const, 'replica' as const),
      },
      { requiredKeys: [] },
    )
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        kind: fc.constant('client' as const),
        slot: fc.nat({ max: 2 }),
        f: fc.constantFrom('add', 'read', 'write', 'cas'),
        outcome: fc.constantFrom('ok' as const, 'fail' as const, 'info' as const, 'none' as const),
        fields: fieldsArb,
      }),
      fc.record({
        kind: fc.constant('nemesis' as const),
        type: fc.constantFrom<OpType>('invoke', 'ok', 'fail', 'info'),
        f: fc.constantFrom('failover', 'kill', 'partition'),
        value: jsonArb,
      }),
    )
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), fc.array(fc.nat({ max: 5000 })), (steps, gaps) => {
        const path = freshPath()
        let t = 0
        let tick = 0
        const recorder = new HistoryRecorder({ path, now: () => (t += gaps[tick++ % Math.max(gaps.length, 1)] ?? 1) })
        const processes = [0, 1, 2]
        let nextProcess = 3
        for (const step of steps) {
          if (step.kind === 'nemesis') {
            recorder.record({ process: 'nemesis', type: step.type, f: step.f, value: step.value })
            continue
          }
          const process = processes[step.slot] ?? 0
          const draft: OpDraft = { process, type: 'invoke', f: step.f, ...step.fields }
          recorder.record(draft)
          if (step.outcome !== 'none') recorder.record({ ...draft, type: step.outcome })
          // A crashed or still-pending process is never used again.
          if (step.outcome === 'info' || step.outcome === 'none') processes[step.slot] = nextProcess++
        }
        recorder.close()
        expect(parseHistory(readFileSync(path, 'utf8'), path)).toStrictEqual(recorder.ops())
        rmSync(path)
      }),
    )
  })
})
