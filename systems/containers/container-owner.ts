import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'

/** Labels every container of a run carries, so that it can be found again (and reaped) whatever happens to the run. */
export const LABELS = {
  /** Marks a container as semisync-chaos's: the reaper looks at no other. */
  owner: 'org.semisync-chaos.owner',
  run: 'org.semisync-chaos.run',
  node: 'org.semisync-chaos.node',
} as const

/**
 * Which harness process started a container: host, pid and the process's start time (a pid alone can be reused by
 * another process after the harness died).
 */
export interface Owner {
  host: string
  pid: number
  startTime: string
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null when it is gone. */
export function processStartTime(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

export function currentOwner(): Owner {
  return { host: hostname(), pid: process.pid, startTime: processStartTime('self') ?? '0' }
}

export function ownerLabel(owner: Owner): string {
  return `${owner.host}/${owner.pid}/${owner.startTime}`
}

export function parseOwnerLabel(label: string): Owner | null {
  const match = /^(.+)\/(\d+)\/(\d+)$/.exec(label)
  if (!match) return null
  return { host: match[1] as string, pid: Number(match[2]), startTime: match[3] as string }
}

/**
 * Whether the harness that started a container is gone, so its containers are orphans. Only owners on this host are
 * judged: a container another machine's run started through a shared engine is never touched.
 */
export function ownerIsGone(owner: Owner, here: string = hostname(), startTimeOf = processStartTime): boolean {
  if (owner.host !== here) return false
  return startTimeOf(owner.pid) !== owner.startTime
}
