import type { z } from 'zod'
import { RUN_OPTIONS, type RunOptionKey } from './run-options.js'

/**
 * The whole configuration of one run; `test.json` stores it, so a run can be reproduced from it. Each field is what
 * its option's schema outputs; `validate-config.ts` checks a value against them (this module loads no zod, so the CLI
 * can build its options and defaults without it).
 */
export type TestConfig = z.output<z.ZodObject<TestConfigSchemas, z.core.$strict>>

/** Each field's schema type, as its option makes it. */
export type TestConfigSchemas = { [K in RunOptionKey]: ReturnType<(typeof RUN_OPTIONS)[K]['schema']> }

/** Faults that need a network nemesis (client links cut, latency); real clusters cut replication links another way. */
export const NETWORK_ONLY_FAULTS: readonly string[] = ['isolate-primary', 'partition-halves', 'latency']

/** Which CLI flag sets each field, so errors name what the user typed. */
export const FLAG_OF = Object.fromEntries(
  Object.entries(RUN_OPTIONS).map(([key, o]) => [key, o.flag ?? key]),
) as Record<keyof TestConfig, string>

/** Every field at its default (optional fields absent). */
export const DEFAULT_CONFIG = Object.fromEntries(
  Object.entries(RUN_OPTIONS)
    .filter(([, o]) => o.defaultValue !== undefined)
    .map(([key, o]) => [key, o.defaultValue]),
) as TestConfig
