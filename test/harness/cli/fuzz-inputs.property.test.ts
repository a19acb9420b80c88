import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RUN_OPTIONS, type RunOption } from '../../../harness/config/run-options.js'
import { DEFAULT_CONFIG } from '../../../harness/config/test-config.js'
import { EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERNAL } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir, type CliResult } from './cli-kit.js'

// Hostile and careless input, for every command and checker: the answer is a verdict or a one-line reason with a
// distinct exit code, never exit 255 and never a stack trace.
const STACK_TRACE = /\n\s+at .+:\d+:\d+/

function expectNoCrash(result: CliResult, what: string): void {
  expect(result.code, `${what}\n${result.stderr}`).not.toBe(EXIT_INTERNAL)
  expect(result.stderr, what).not.toMatch(STACK_TRACE)
  expect(result.stderr, what).not.toMatch(/internal error/)
}

/** Text a user might type, or paste by mistake: numbers of every shape, words, paths, unicode, control characters. */
const flagText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '-1', '0', '1e308', 'NaN', 'Infinity', '0x10', '1.5', '2147483648', '99999999999999999999'),
  fc.constantFrom('..', '.live', 'latest', 'a/b', '#', 'x\ny', '\u0000', 'on', 'off', 'after-sync', 'mariadb', 'mysql'),
  fc.integer({ min: -10, max: 100 }).map(String),
  fc.double({ noNaN: false }).map(String),
)

/** Runs that stay short whatever the fuzzed flag says: the fixed flags come last, and the last occurrence wins. */
const SHORT_RUN = [
  '--db',
  'sim',
  '--time-limit',
  '0.3',
  '--rate',
  '50',
  '--concurrency',
  '3',
  '--recovery-timeout',
  '2',
]
const OVERRIDDEN = new Set(['--db', '--time-limit', '--rate', '--concurrency', '--recovery-timeout'])

describe('fuzzed input never crashes the CLI', () => {
  const flags = (Object.values(RUN_OPTIONS) as RunOption[])
    .map((o) => o.flag)
    .filter((f): f is string => f !== null && !OVERRIDDEN.has(f))

  it('run: any value for any flag', async () => {
    const store = tempDir()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...flags), flagText, async (flag, value) => {
        // A results dir is kept under the test's temp folder, whatever it is called.
        const shown = flag === '--results-dir' ? join(store, value) : value
        const argv = flag === '--keep-data' ? [flag] : [flag, shown]
        const result = await runCli([
          'run',
          ...argv,
          ...SHORT_RUN,
          ...(flag === '--results-dir' ? [] : ['--results-dir', store]),
        ])
        expectNoCrash(result, `run ${argv.join(' ')}`)
      }),
      { numRuns: 400 },
    )
  }, 240_000)

  it('run --config: any test.json', async () => {
    const dir = tempDir()
    const fieldArb = fc.constantFrom(...Object.keys(RUN_OPTIONS), 'runId', 'build', 'argv', 'bogus')
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .dictionary(fieldArb, fc.anything({ maxDepth: 2 }), { maxKeys: 4 })
            .map((fields) => JSON.stringify({ ...DEFAULT_CONFIG, ...fields })),
          fc.json({ maxDepth: 3 }),
          fc.string({ maxLength: 40 }),
        ),
        async (text) => {
          const path = join(dir, 'test.json')
          writeFileSync(path, text)
          const result = await runCli(['run', '--config', path, ...SHORT_RUN, '--results-dir', dir])
          expectNoCrash(result, `run --config ${text.slice(0, 200)}`)
        },
      ),
      { numRuns: 300 },
    )
  }, 240_000)

  /** A line of history: well-formed ops with odd fields, and things that are not ops at all. */
  const opLine = fc.oneof(
    fc
      .record(
        {
          index: fc.oneof(fc.nat(50), fc.constant(-1), fc.string({ maxLength: 3 })),
          time: fc.oneof(fc.nat(10_000), fc.double()),
          process: fc.oneof(fc.nat(3), fc.constant('nemesis'), fc.string({ maxLength: 3 })),
          type: fc.constantFrom('invoke', 'ok', 'fail', 'info', 'done'),
          f: fc.constantFrom('add', 'read', 'write', 'cas', 'get', 'put', 'append', 'txn', 'kill', ''),
          key: fc.oneof(fc.constant(undefined), fc.constantFrom('1', 'x'), fc.nat(3)),
          value: fc.oneof(
            fc.anything({ maxDepth: 2 }),
            fc.array(fc.nat(20), { maxLength: 5 }),
            fc.tuple(fc.nat(5), fc.nat(5)),
            fc.constant(null),
          ),
          final: fc.oneof(fc.constant(undefined), fc.boolean(), fc.string({ maxLength: 2 })),
        },
        { requiredKeys: ['type', 'f'] },
      )
      .map((op) => JSON.stringify(op)),
    fc.string({ maxLength: 20 }),
    fc.json({ maxDepth: 2 }),
  )
  /** Mostly-valid histories: dense indices and a strict process discipline, with odd values. */
  const disciplinedHistory = fc
    .array(
      fc.record({
        process: fc.nat(2),
        f: fc.constantFrom('add', 'read', 'write', 'cas'),
        completion: fc.constantFrom('ok', 'fail', 'info'),
        value: fc.oneof(
          fc.nat(10),
          fc.array(fc.nat(10), { maxLength: 4 }),
          fc.tuple(fc.nat(3), fc.nat(3)),
          fc.anything({ maxDepth: 1 }),
        ),
      }),
      { maxLength: 12 },
    )
    .map((steps) => {
      const lines: string[] = []
      const retired = new Set<number>()
      let next = 0
      for (const step of steps) {
        let process = step.process
        while (retired.has(process)) process += 3
        lines.push(
          JSON.stringify({
            index: lines.length,
            time: next++,
            process,
            type: 'invoke',
            f: step.f,
            value: step.f === 'read' ? null : step.value,
          }),
        )
        lines.push(
          JSON.stringify({
            index: lines.length,
            time: next++,
            process,
            type: step.completion,
            f: step.f,
            value: step.value,
          }),
        )
        if (step.completion === 'info') retired.add(process)
      }
      return lines
    })

  const checkModes = [
    [],
    ['--workload', 'set'],
    ['--workload', 'register'],
    ['--checker', 'linearizable', '--model', 'register'],
    ['--checker', 'linearizable', '--model', 'kv'],
    ['--checker', 'linearizable', '--model', 'set'],
    ['--json'],
  ]

  it('check: any history lines, with every checker', async () => {
    const dir = tempDir()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(opLine, { maxLength: 8 }), disciplinedHistory),
        fc.constantFrom(...checkModes),
        async (lines, mode) => {
          const path = join(dir, 'history.jsonl')
          writeFileSync(path, lines.join('\n'))
          const result = await runCli(['check', path, ...mode])
          expectNoCrash(result, `check ${mode.join(' ')} on:\n${lines.join('\n').slice(0, 2000)}`)
          expect([0, 1, 2, EXIT_BAD_INPUT]).toContain(result.code)
        },
      ),
      { numRuns: 1500 },
    )
  }, 240_000)

  it('check: any flag value', async () => {
    const dir = tempDir()
    const path = join(dir, 'history.jsonl')
    writeFileSync(path, '{"index":0,"time":1,"process":0,"type":"invoke","f":"add","value":1}\n')
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('--workload', '--checker', '--model', '--html'),
        flagText,
        async (flag, value) => {
          const shown = flag === '--html' ? join(dir, value) : value
          const extra = flag === '--html' || flag === '--model' ? ['--checker', 'linearizable'] : []
          expectNoCrash(await runCli(['check', path, flag, shown, ...extra]), `check ${flag} ${shown}`)
        },
      ),
      { numRuns: 80 },
    )
  }, 120_000)

  it('matrix and proxy: any flag value', async () => {
    const store = tempDir()
    const matrixFlags = [
      '--db',
      '--seeds',
      '--first-seed',
      '--scenario',
      '--attempts',
      '--junit',
      '--mariadbd',
      '--mysqld',
    ]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...matrixFlags), flagText, async (flag, value) => {
        // Keep it to one small row whatever the value: a valid large --seeds would run thousands.
        if (flag === '--seeds' && /^\s*\d+\s*$/.test(value) && Number(value) > 2) return
        // A real-server matrix is not what this test is for (and takes minutes).
        if (flag === '--db' && ['mariadb', 'mysql'].includes(value.trim().toLowerCase())) return
        const shown = flag === '--junit' ? join(store, value) : value
        const rest = flag === '--scenario' ? [] : ['--scenario', 'kill-primary']
        const result = await runCli([
          'matrix',
          flag,
          shown,
          '--seeds',
          flag === '--seeds' ? shown : '1',
          ...rest,
          '--results-dir',
          store,
        ])
        expectNoCrash(result, `matrix ${flag} ${shown}`)
      }),
      { numRuns: 60 },
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('--port', '--seed', '--poll-window-us'), flagText, async (flag, value) => {
        // A valid value would start the server until Ctrl-C: only values it must refuse.
        const limit = { '--port': 65535, '--seed': Infinity, '--poll-window-us': 1_000_000 }[flag]
        if (/^\s*\d+\s*$/.test(value) && Number(value) <= limit) return
        const result = await runCli(['proxy', flag, value])
        expectNoCrash(result, `proxy ${flag} ${value}`)
        expect([EXIT_BAD_INPUT, EXIT_ENVIRONMENT]).toContain(result.code)
      }),
      { numRuns: 60 },
    )
  }, 240_000)
})
