import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { randomInt } from 'node:crypto'
import { ConfigError } from '../../core/errors/config-error.js'
import { flagKey, RUN_OPTIONS, type RunOption } from '../config/run-options.js'
import { DEFAULT_CONFIG, type TestConfig } from '../config/test-config.js'
import { validateConfig } from '../config/validate-config.js'

type Flags = Record<string, string | boolean | undefined>

function loadBase(given: string | undefined): Partial<TestConfig> {
  if (!given) return {}
  // A run folder stands for its test.json.
  const path = isFolder(given) ? join(given, 'test.json') : given
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError('--config', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ConfigError('--config', `${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('--config', `${path} must hold a JSON object (a run's test.json)`)
  }
  // test.json also records how the run was made; those fields are not config.
  const { runId: _runId, build: _build, argv: _argv, ...config } = parsed as Record<string, unknown>
  return config as Partial<TestConfig>
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * Builds and validates a test config from flags (over an optional stored test.json, over the defaults). `notice`
 * hears what was ignored on purpose (a program a stored file names).
 */
export function configFromFlags(flags: Flags, notice: (line: string) => void = () => {}): TestConfig {
  const base = loadBase(typeof flags.config === 'string' ? flags.config : undefined)
  for (const [key, option] of Object.entries(RUN_OPTIONS) as Array<[string, RunOption]>) {
    const stored = (base as Record<string, unknown>)[key]
    if (!option.program || stored === undefined || option.flag === null) continue
    delete (base as Record<string, unknown>)[key]
    if (flags[flagKey(option.flag)] === undefined) {
      notice(
        `${flags.config} names ${option.flag.slice(2)} ${JSON.stringify(stored)}; a stored config never chooses a ` +
          `program to run, so ${option.withoutIt ?? 'it is found on PATH'} (pass ${option.flag} to use that one)`,
      )
    }
  }
  const c: Record<string, unknown> = { ...DEFAULT_CONFIG, ...base }
  for (const [key, option] of Object.entries(RUN_OPTIONS) as Array<[string, RunOption]>) {
    if (option.flag === null) continue
    const raw = flags[flagKey(option.flag)]
    if (typeof raw === 'string' && option.parse) c[key] = option.parse(option.flag, raw)
    else if (raw === true && !option.parse) c[key] = true
  }
  // Unless given, every replica acks (and a stored config keeps its own count).
  if (flags.semiSyncReplicas === undefined && base.semiSyncReplicas === undefined) c.semiSyncReplicas = c.replicas
  if (flags.seed === undefined && base.seed === undefined) c.seed = randomInt(0, 2 ** 31)
  // Real MySQL servers are MySQL: the engine's personality follows unless told otherwise (and then validation says no).
  if (flags.flavor === undefined && base.flavor === undefined && c.db === 'mysql') c.flavor = 'mysql'
  // MySQL cannot truncate on recovery, so its old primary rejoins as it restarted unless told otherwise.
  if (flags.rejoin === undefined && base.rejoin === undefined && c.flavor === 'mysql') c.rejoin = 'as-is'
  return validateConfig(c)
}

/** What may change about a stored test when it runs again: where, on what, with which programs. */
export interface StoredTestOverrides {
  db?: string
  resultsDir?: string
  mariadbd?: string
  mysqld?: string
  image?: string
}

/** A stored test (a run folder or its test.json) with the overrides given; programs it names are never used. */
export function storedConfig(
  path: string,
  overrides: StoredTestOverrides,
  notice: (line: string) => void = () => {},
): TestConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
  return configFromFlags({ config: path, ...given }, notice)
}
