// Import rules and the simulator's ban, enforced in `npm test` (npm run lint). The layering is described in
// docs/ARCHITECTURE.md; each zone below forbids a folder from importing the folders above it.
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

/** Every source folder that takes part in the layering, top-level or one level down. */
const FOLDERS = [
  'core',
  'toxiproxy',
  'checkers',
  'systems/sim',
  'systems/real-servers',
  'systems/mariadb',
  'systems/mysql',
  'systems/containers',
  'systems/registry.ts',
  'workloads',
  'nemesis',
  'results',
  'harness/failover',
  'harness/runner',
  'harness/config',
  'harness/run',
  'harness/scenarios',
  'harness/cli',
]

const HARNESS_RUN_MAY_IMPORT = [
  'core',
  'nemesis',
  'workloads',
  'checkers',
  'results',
  'toxiproxy',
  'systems/registry.ts',
  'harness/failover',
  'harness/runner',
  'harness/config',
]

/** What each folder may import from the project (besides itself). Everything else in FOLDERS is forbidden. */
const MAY_IMPORT = {
  core: [],
  toxiproxy: ['core'],
  checkers: ['core'],
  'systems/sim': ['core'],
  'systems/real-servers': ['core'],
  // Each product loads the container hosting lazily, only for runs that name an image.
  'systems/mariadb': ['core', 'systems/real-servers', 'systems/containers'],
  'systems/mysql': ['core', 'systems/real-servers', 'systems/containers'],
  'systems/containers': ['core', 'systems/real-servers'],
  'systems/registry.ts': ['core', 'systems/sim', 'systems/mariadb', 'systems/mysql'],
  workloads: ['core', 'checkers'],
  nemesis: ['core'],
  results: ['core', 'checkers'],
  'harness/failover': ['core'],
  'harness/runner': ['core', 'nemesis', 'workloads', 'checkers'],
  'harness/config': ['core', 'nemesis', 'workloads', 'checkers', 'harness/failover', 'systems/registry.ts'],
  'harness/run': HARNESS_RUN_MAY_IMPORT,
  'harness/scenarios': ['core', 'nemesis', 'checkers', 'results', 'harness/config', 'harness/run'],
  // The CLI sits on top: it may import everything the run may, and the catalogue.
  'harness/cli': [...HARNESS_RUN_MAY_IMPORT, 'harness/run', 'harness/scenarios'],
}

const layerZones = [
  ...Object.entries(MAY_IMPORT).flatMap(([target, allowed]) =>
    FOLDERS.filter((folder) => folder !== target && !allowed.includes(folder)).map((from) => ({
      target: `./${target}`,
      from: `./${from}`,
      message: `${target} may import only ${allowed.length ? allowed.join(', ') : 'nothing else of the project'} (docs/ARCHITECTURE.md)`,
    })),
  ),
  // The embedded Toxiproxy is a product of its own: the project starts it through its entry and drives it over HTTP.
  ...FOLDERS.filter((folder) => folder !== 'toxiproxy').map((folder) => ({
    target: `./${folder}`,
    from: './toxiproxy',
    except: ['./index.ts'],
    message: 'start the embedded Toxiproxy through toxiproxy/index.ts and drive it over HTTP (toxiproxy-node-client)',
  })),
]

/** Code that runs under the deterministic simulator: no real time, randomness or I/O. */
const SIMULATED = [
  'core/**/*.ts',
  'systems/sim/**/*.ts',
  'workloads/**/*.ts',
  'nemesis/**/*.ts',
  'harness/runner/**/*.ts',
  'harness/failover/**/*.ts',
]
const WHY_SIM = 'runs under the simulator: use the Clock, SeededRandom and simulated I/O (docs/ARCHITECTURE.md)'
const REAL_IO_MODULES = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'tls',
  'child_process',
  'cluster',
  'worker_threads',
  'timers',
  'timers/promises',
  'os',
  'crypto',
  'perf_hooks',
  'readline',
]

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'store/**', 'scratch/**'] },
  {
    files: ['**/*.ts', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-self-import': 'error',
    },
  },
  {
    files: SIMULATED,
    ignores: [
      // The one bridge between the simulator and the JavaScript job queue: setImmediate only yields there.
      'systems/sim/sim-driver.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: WHY_SIM },
        { object: 'Date', property: 'now', message: WHY_SIM },
        { object: 'performance', property: 'now', message: WHY_SIM },
        { object: 'process', property: 'hrtime', message: WHY_SIM },
        { object: 'process', property: 'nextTick', message: WHY_SIM },
        { object: 'crypto', property: 'randomUUID', message: WHY_SIM },
        { object: 'crypto', property: 'getRandomValues', message: WHY_SIM },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'].map(
          (name) => ({ name, message: WHY_SIM }),
        ),
        ...['Date', 'performance', 'fetch', 'WebSocket', 'XMLHttpRequest', 'crypto', 'queueMicrotask'].map((name) => ({
          name,
          message: WHY_SIM,
        })),
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: REAL_IO_MODULES.flatMap((name) => [
            { name, message: WHY_SIM },
            { name: `node:${name}`, message: WHY_SIM },
          ]),
          patterns: [
            {
              group: ['mysql2', 'mysql2/*', 'toxiproxy-node-client', 'testcontainers', '@testcontainers/*'],
              message: WHY_SIM,
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: `no dynamic import: ${WHY_SIM}` },
        { selector: "CallExpression[callee.name='require']", message: `no require: ${WHY_SIM}` },
      ],
    },
  },
)
