import { ConfigError } from '../../core/errors/config-error.js'

/** Strict flag parsers: each names the flag in its error, so `--replicas two` says exactly what is wrong. */
export function parseInteger(flag: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(flag, `expected a whole number, got "${raw}"`)
  const value = Number(raw)
  if (!Number.isSafeInteger(value)) throw new ConfigError(flag, `"${raw}" is too large`)
  return value
}

export function parseNumber(flag: string, raw: string): number {
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value)) throw new ConfigError(flag, `expected a number, got "${raw}"`)
  return value
}

export function parseOnOff(flag: string, raw: string): boolean {
  const v = raw.trim().toLowerCase()
  if (['on', 'true', '1', 'yes'].includes(v)) return true
  if (['off', 'false', '0', 'no'].includes(v)) return false
  throw new ConfigError(flag, `expected on or off, got "${raw}"`)
}

export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  const lower = raw.trim().toLowerCase()
  // Wait points are written AFTER_SYNC by the servers; accept after-sync and after_sync alike.
  const normalized = (flag === '--wait-point' ? lower.replace(/-/g, '_') : lower) as T
  if (!choices.includes(normalized)) throw new ConfigError(flag, `expected one of ${choices.join(', ')}, got "${raw}"`)
  return normalized
}

export function parseList<T extends string>(flag: string, raw: string, choices: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  if (items.length === 0) throw new ConfigError(flag, 'expected a comma-separated list')
  return items.map((item) => parseChoice(flag, item, choices))
}

/** A duration in seconds from `90`, `90s`, `2m`, `1h30m` or `1.5h`. */
export function parseDuration(flag: string, raw: string): number {
  const text = raw.trim()
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(h|m|s)?/g)]
  const joined = parts.map((p) => p[0]).join('')
  if (
    parts.length === 0 ||
    joined.replace(/\s/g, '') !== text.replace(/\s/g, '') ||
    (parts.length > 1 && parts.some((p) => !p[2]))
  ) {
    throw new ConfigError(flag, `expected a duration such as 90s, 2m, 1h30m or a number of seconds, got "${raw}"`)
  }
  const unit = { h: 3600, m: 60, s: 1 } as const
  return parts.reduce((total, p) => total + Number(p[1]) * unit[(p[2] ?? 's') as keyof typeof unit], 0)
}
