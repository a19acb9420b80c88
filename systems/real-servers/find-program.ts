import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Every `name` on PATH, then in the sbin folders Debian uses (not always on a non-root PATH), first found first. */
export function programsOnPath(name: string): string[] {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/bin',
    '/usr/local/bin',
  ]
  const found: string[] = []
  for (const dir of dirs) {
    const path = dir ? join(dir, name) : ''
    if (path && !found.includes(path) && isExecutable(path)) found.push(path)
  }
  return found
}
