import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { parseHistory } from '../../../results/history/history-reader.js'
import { SKIP_REAL_SERVERS } from '../mariadb/mariadb-available.js'
import { SKIP_REAL_MYSQL } from '../mysql/mysql-available.js'
import { containersForTests, containersOfRuns, REQUIRE_CONTAINERS } from '../containers/containers-for-tests.js'

const root = join(import.meta.dirname, '..', '..', '..')
const resultsDir = tempDir('ssc-orphans-')
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }))

/** `program` processes whose command line mentions `needle` (their option file lives in a run folder under it). */
function serversUnder(program: string, needle: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]
        return cmd.includes(program) && cmd.includes(needle) && state !== 'Z'
      } catch {
        return false
      }
    })
    .map(Number)
}

function cli(args: string[]): { child: ChildProcess; output: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'harness/cli/bin.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout?.resume()
  const output = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  )
  return { child, output }
}

/** Waits until a run under `dir` has recorded client ops (its cluster is up and the workload running). */
async function untilRunning(dir: string, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const history = findFile(dir, 'history.jsonl')
    if (history && statSync(history).size > 2000) return history
    if (Date.now() > deadline) throw new Error(`no run started under ${dir}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function findFile(dir: string, name: string): string | null {
  if (!existsSync(dir)) return null
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isFile() && entry.name === name) return path
    if (entry.isDirectory() && !entry.isSymbolicLink()) {
      const found = findFile(path, name)
      if (found) return found
    }
  }
  return null
}

const runArgs = (system: string[], dir: string, timeLimit = 60, seed = 1): string[] => [
  'run',
  ...system,
  '--time-limit',
  String(timeLimit),
  '--nemesis',
  'none',
  '--seed',
  String(seed),
  '--results-dir',
  dir,
]

const containers = await containersForTests()

/** A way to run servers, how to count the ones a run under a folder left, and what the next run says it stopped. */
interface Servers {
  name: string
  /** Names the runs' folders: never the program's name, which the scan of command lines looks for. */
  tag: string
  args: string[]
  skip: boolean
  running: (dir: string) => Promise<number>
  stopped: RegExp
}

const processes = (db: string, program: string, skip: boolean): Servers => ({
  name: `${program} processes`,
  tag: `${db}-processes`,
  args: ['--db', db],
  skip,
  running: async (dir) => serversUnder(program, dir).length,
  stopped: new RegExp(`stopped ${program} n\\d \\(pid \\d+\\) left running by an earlier run`, 'g'),
})

const inContainers = (db: 'mariadb' | 'mysql'): Servers => {
  const image = containers?.images[db] ?? null
  return {
    name: `${db} containers`,
    tag: `${db}-containers`,
    args: ['--db', db, '--image', image ?? 'missing'],
    skip: image === null && !REQUIRE_CONTAINERS,
    running: async (dir) => (await containersOfRuns(containers!.client, dir)).length,
    stopped: /removed container \S+ \(n\d of run [^)]+\), left by a harness \(pid \d+\) that is gone/g,
  }
}

/**
 * Each real-server system, skipped where it is not installed (never in CI, which installs all of them). Containers
 * are made, labelled and removed the same way whatever the product: one product's images stand for both.
 */
const SYSTEMS = [
  processes('mariadb', 'mariadbd', SKIP_REAL_SERVERS),
  processes('mysql', 'mysqld', SKIP_REAL_MYSQL),
  inContainers('mariadb'),
]

describe.skipIf(SKIP_REAL_SERVERS)('no orphan mariadbd from an interrupted matrix', () => {
  it('Ctrl-C in the middle of a row flushes its history, stops its servers and exits 130', async () => {
    const dir = join(resultsDir, 'matrix-sigint')
    const { child, output } = cli([
      'matrix',
      '--db',
      'mariadb',
      '--seeds',
      '1',
      '--scenario',
      'kill-primary',
      '--results-dir',
      dir,
    ])
    const historyPath = await untilRunning(dir)
    expect(serversUnder('mariadbd', dir)).toHaveLength(3)
    child.kill('SIGINT')
    const { code, stderr } = await output
    expect(code).toBe(130)
    expect(stderr).toMatch(/interrupted \(SIGINT\); history flushed/)
    expect(serversUnder('mariadbd', dir)).toHaveLength(0)
    const results = JSON.parse(readFileSync(join(historyPath, '..', 'results.json'), 'utf8')) as Record<string, unknown>
    expect(results).toMatchObject({ valid: 'unknown', interrupted: true })
  }, 180_000)

  it('a run that overruns its wall-clock limit is stopped: history kept, servers stopped, exit 3', async () => {
    const dir = join(resultsDir, 'wall-limit')
    const { output } = cli([...runArgs(['--db', 'mariadb'], dir, 120), '--wall-limit', '4'])
    const { code, stderr } = await output
    expect(code).toBe(3)
    expect(stderr).toMatch(/overran its wall-clock limit of 4 s \(clients and nemesis\); stopping it/)
    expect(stderr).not.toMatch(/internal error/)
    expect(serversUnder('mariadbd', dir)).toHaveLength(0)
    const historyPath = findFile(dir, 'history.jsonl') as string
    const history = parseHistory(readFileSync(historyPath, 'utf8'))
    expect(history.filter((op) => op.type === 'ok').length).toBeGreaterThan(10)
    expect(history.at(-1)).toMatchObject({ process: 'nemesis', type: 'info', f: 'overrun' })
    const results = JSON.parse(readFileSync(join(historyPath, '..', 'results.json'), 'utf8')) as Record<string, unknown>
    expect(results).toMatchObject({
      valid: 'unknown',
      reason: expect.stringMatching(/^the run overran its wall-clock limit of 4 s/),
      overran: { wallLimitS: 4, phase: 'clients and nemesis', pending: [] },
    })
    expect(existsSync(join(historyPath, '..', 'report.html'))).toBe(true)
  }, 180_000)
})

for (const { name, tag, args, skip, running, stopped } of SYSTEMS) {
  describe.skipIf(skip)(`no orphan ${name}`, () => {
    it('Ctrl-C flushes the history, marks the run interrupted, stops every server and exits 130', async () => {
      const dir = join(resultsDir, `${tag}-sigint`)
      const { child, output } = cli(runArgs(args, dir))
      const historyPath = await untilRunning(dir)
      expect(await running(dir)).toBe(3)
      child.kill('SIGINT')
      const { code, stderr } = await output
      expect(code).toBe(130)
      expect(stderr).toMatch(/interrupted \(SIGINT\); history flushed/)
      // Work the interrupt cut short (a client's query, a link being torn down) fails as expected: no crash report.
      expect(stderr).not.toMatch(/internal error/)
      expect(await running(dir)).toBe(0)
      const history = parseHistory(readFileSync(historyPath, 'utf8'))
      expect(history.length).toBeGreaterThan(10)
      const results = JSON.parse(readFileSync(join(historyPath, '..', 'results.json'), 'utf8')) as Record<
        string,
        unknown
      >
      // No final phase: nothing shows what survived, and the verdict says why; `check` of the folder agrees.
      expect(results).toMatchObject({ valid: 'unknown', interrupted: true, reason: expect.any(String) })
      const checked = await runCli(['check', join(historyPath, '..'), '--json'])
      expect(JSON.parse(checked.stdout)).toMatchObject({ valid: results['valid'] })
    }, 180_000)

    it('a later run stops the servers a killed run left behind, and says so', async () => {
      const dir = join(resultsDir, `${tag}-crashed`)
      const first = cli(runArgs(args, dir))
      await untilRunning(dir)
      first.child.kill('SIGKILL') // no chance to clean up
      await first.output
      expect(await running(dir)).toBe(3)
      const second = cli(runArgs(args, dir, 1, 2))
      const { code, stderr } = await second.output
      expect(code).toBe(0)
      expect(stderr.match(stopped)).toHaveLength(3)
      expect(await running(dir)).toBe(0)
    }, 180_000)
  })
}
