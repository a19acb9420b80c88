import { NS_PER_SECOND } from '../../core/clock/clock.js'
import { SeededRandom } from '../../core/random/seeded-random.js'
import { burstRateFor, SLOW_APPLY_TIME_US } from '../../nemesis/fault-packages.js'
import type { NemesisStep } from '../../nemesis/nemesis-action.js'
import { scheduleBuilder } from '../../nemesis/nemesis-schedule.js'
import type { TestConfig } from '../config/test-config.js'

/**
 * The nemesis steps of a run: its explicit schedule, or the one its faults and schedule kind draw from the run's
 * `nemesis-schedule` stream (a stream of the seed used for nothing else, so the steps follow from the config alone).
 */
export function scheduleOf(config: TestConfig, stream?: SeededRandom): NemesisStep[] {
  if (config.schedule) return config.schedule
  return scheduleBuilder(config.nemesisSchedule)(
    config.nemesis,
    Math.round(config.nemesisIntervalS * NS_PER_SECOND),
    Math.round(config.timeLimitS * NS_PER_SECOND),
    stream ?? new SeededRandom(config.seed, 'nemesis-schedule'),
    {
      latencyMs: config.latencyMs,
      latencyJitterMs: config.latencyJitterMs,
      burstRate: burstRateFor(config.rate),
      slowApplyTimeUs: SLOW_APPLY_TIME_US,
    },
  )
}
