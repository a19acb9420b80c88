import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// The linter (npm run lint, part of npm test) holds the layering and the simulator's ban. These cases show it fails on
// the mistakes it exists for, and passes the near misses, so a rule that silently stops matching is noticed.
const root = join(import.meta.dirname, '..', '..')
const eslint = new ESLint({ cwd: root })

/** The rule ids the linter reports for `code` as if it were the file at `path` (relative to the repository). */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) })
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`)
}

describe('the import rules', () => {
  const cases: Array<[string, string, string, string | null]> = [
    // [what, file, code, the rule expected to fire (null: none)]
    [
      'core imports nothing else of the project',
      'core/clock/probe.ts',
      "import { Runner } from '../../harness/runner/runner.js'\nexport const r = Runner",
      'import-x/no-restricted-paths',
    ],
    [
      'core may import core',
      'core/clock/probe.ts',
      "import { NS_PER_MS } from './clock.js'\nexport const n = NS_PER_MS",
      null,
    ],
    [
      'the real backend imports nothing from the engine',
      'systems/mariadb/probe.ts',
      "import { EngineCluster } from '../sim/engine/engine-cluster.js'\nexport const e = EngineCluster",
      'import-x/no-restricted-paths',
    ],
    [
      'a real backend may use the shared real-server helpers',
      'systems/mariadb/probe.ts',
      "import { freePort } from '../real-servers/free-port.js'\nexport const f = freePort",
      null,
    ],
    [
      'checkers import only core',
      'checkers/probe.ts',
      "import { CATALOGUE } from '../harness/scenarios/catalogue.js'\nexport const c = CATALOGUE",
      'import-x/no-restricted-paths',
    ],
    [
      'checkers may import core',
      'checkers/probe.ts',
      "import type { Op } from '../core/history/op.js'\nexport type O = Op",
      null,
    ],
    [
      'the harness reaches a system only through the registry',
      'harness/run/probe.ts',
      "import { SimulatedCluster } from '../../systems/sim/simulated-cluster.js'\nexport const s = SimulatedCluster",
      'import-x/no-restricted-paths',
    ],
    [
      'the registry is the way in',
      'harness/run/probe.ts',
      "import { loadSystem } from '../../systems/registry.js'\nexport const l = loadSystem",
      null,
    ],
    [
      "nothing imports the proxy server's internals",
      'harness/cli/probe.ts',
      "import { ProxyCollection } from '../../toxiproxy/proxy-collection.js'\nexport const p = ProxyCollection",
      'import-x/no-restricted-paths',
    ],
    [
      'the proxy server starts through its entry',
      'harness/cli/probe.ts',
      "import { startToxiproxyServer } from '../../toxiproxy/index.js'\nexport const s = startToxiproxyServer",
      null,
    ],
    [
      'results read no harness code',
      'results/report/probe.ts',
      "import type { TestConfig } from '../../harness/config/test-config.js'\nexport type T = TestConfig",
      'import-x/no-restricted-paths',
    ],
    [
      'the nemesis does not climb to the harness',
      'nemesis/probe.ts',
      "import { failover } from '../harness/failover/orchestrator.js'\nexport const f = failover",
      'import-x/no-restricted-paths',
    ],
  ]
  for (const [what, file, code, rule] of cases) {
    it(`${what} (${file})`, async () => {
      const found = await violations(file, code)
      if (rule === null) expect(found).toEqual([])
      else expect(found).toContain(rule)
    })
  }
})

describe("the simulator's ban on real time, randomness and I/O", () => {
  const simulated = 'systems/sim/engine/probe.ts'
  const cases: Array<[string, string, string]> = [
    ['Math.random', 'export const x = Math.random()', 'no-restricted-properties'],
    ['Date.now', 'export const x = Date.now()', 'no-restricted-properties'],
    ['new Date', 'export const x = new Date()', 'no-restricted-globals'],
    ['performance.now', 'export const x = performance.now()', 'no-restricted-globals'],
    ['process.hrtime', 'export const x = process.hrtime.bigint()', 'no-restricted-properties'],
    ['setTimeout', 'setTimeout(() => {}, 1)', 'no-restricted-globals'],
    ['setImmediate', 'setImmediate(() => {})', 'no-restricted-globals'],
    ['queueMicrotask', 'queueMicrotask(() => {})', 'no-restricted-globals'],
    [
      "import from 'fs' (no node: prefix)",
      "import { readFileSync } from 'fs'\nexport const r = readFileSync",
      'no-restricted-imports',
    ],
    [
      "import from 'node:fs/promises'",
      "import { readFile } from 'node:fs/promises'\nexport const r = readFile",
      'no-restricted-imports',
    ],
    ["import from 'node:net'", "import { connect } from 'node:net'\nexport const c = connect", 'no-restricted-imports'],
    [
      'crypto randomness',
      "import { randomInt } from 'node:crypto'\nexport const r = randomInt",
      'no-restricted-imports',
    ],
    [
      'mysql2',
      "import { createConnection } from 'mysql2/promise'\nexport const c = createConnection",
      'no-restricted-imports',
    ],
    ['a dynamic import', "export const m = import('node:fs')", 'no-restricted-syntax'],
    ['require', "export const m = require('fs')", 'no-restricted-syntax'],
  ]
  for (const [what, code, rule] of cases) {
    it(`bans ${what} under the simulator`, async () => {
      expect(await violations(simulated, code)).toContain(rule)
    })
  }

  for (const file of [
    'core/probe.ts',
    'workloads/probe.ts',
    'nemesis/probe.ts',
    'harness/runner/probe.ts',
    'harness/failover/probe.ts',
  ]) {
    it(`covers ${file.split('/probe')[0]}`, async () => {
      expect(await violations(file, 'export const x = Math.random()')).toContain('no-restricted-properties')
    })
  }

  it('allows simulated time and seeded randomness', async () => {
    const code =
      "import type { Clock } from '../../../core/clock/clock.js'\nexport const later = (c: Clock) => c.sleep(5)"
    expect(await violations(simulated, code)).toEqual([])
  })

  it('leaves code outside the simulator alone (the run folder is real I/O)', async () => {
    expect(
      await violations(
        'harness/run/probe.ts',
        "import { writeFileSync } from 'node:fs'\nexport const w = writeFileSync",
      ),
    ).toEqual([])
  })
})
