import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The suite's own temp folder: every server a test starts keeps its sockets and data under it (TMPDIR points there
 * for the workers and the CLIs they spawn), so the teardown can tell this suite's servers from any other suite's or
 * run's on the same machine.
 */
export default function setup(): () => void {
  const suiteDir = mkdtempSync(join(tmpdir(), 'ssc-suite-'))
  // Servers of a root harness run as an unprivileged user and must pass through to their folders.
  chmodSync(suiteDir, 0o711)
  process.env.TMPDIR = suiteDir
  return () => {
    const leaked = killServersUnder(suiteDir)
    rmSync(suiteDir, { recursive: true, force: true })
    if (leaked.length > 0) throw new Error(`tests left database servers running (now killed):\n${leaked.join('\n')}`)
  }
}

/** SIGKILLs every mariadbd/mysqld whose command line names `dir`; returns what it found. */
function killServersUnder(dir: string): string[] {
  const leaked: string[] = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = ''
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
    } catch {
      continue
    }
    if (!/\b(mariadbd|mysqld)\b/.test(cmd) || !cmd.includes(`${dir}/`)) continue
    leaked.push(`${pid}: ${cmd.trim()}`)
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
  return leaked
}
