import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** One server a run started: enough for a later run to find it if this one dies without cleaning up. */
interface LiveEntry {
  ownerPid: number
  /** The server program's name, as its command line shows it (`mariadbd`, `mysqld`); absent in entries written
   * before MySQL was supported, which were all mariadbd. */
  program?: string
  node: string
  runDir: string
  pidFile: string
  datadir: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The command line of a process, or '' if it is gone. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

/**
 * `<resultsDir>/.live/`: one file per running server, pointing at its pid file in the run folder. Removed when the run
 * stops its servers. A run that finds entries whose owner process is dead stops those servers and says so.
 */
export class OrphanRegistry {
  private readonly dir: string

  constructor(resultsDir: string) {
    this.dir = join(resultsDir, '.live')
  }

  register(entry: Omit<LiveEntry, 'ownerPid'> & { program: string }): void {
    mkdirSync(this.dir, { recursive: true })
    writeFileSync(this.file(entry.runDir, entry.node), JSON.stringify({ ...entry, ownerPid: process.pid }))
  }

  unregister(runDir: string, node: string): void {
    rmSync(this.file(runDir, node), { force: true })
  }

  /** Kills servers left by runs whose harness process is gone; returns a line per server stopped. */
  reap(): string[] {
    if (!existsSync(this.dir)) return []
    const stopped: string[] = []
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name)
      let entry: LiveEntry
      try {
        entry = JSON.parse(readFileSync(path, 'utf8')) as LiveEntry
      } catch {
        rmSync(path, { force: true })
        continue
      }
      if (entry.ownerPid !== process.pid && alive(entry.ownerPid)) continue // another run, still going
      const pid = existsSync(entry.pidFile) ? Number(readFileSync(entry.pidFile, 'utf8').trim()) : NaN
      // Only that server program, serving that very run folder: never a pid that was reused by something else.
      const program = entry.program ?? 'mariadbd'
      if (
        Number.isInteger(pid) &&
        pid > 0 &&
        commandLine(pid).includes(program) &&
        commandLine(pid).includes(entry.runDir)
      ) {
        try {
          process.kill(pid, 'SIGCONT')
          process.kill(pid, 'SIGKILL')
          stopped.push(
            `stopped ${program} ${entry.node} (pid ${pid}) left running by an earlier run in ${entry.runDir}`,
          )
        } catch {
          // gone meanwhile
        }
      }
      rmSync(path, { force: true })
    }
    return stopped
  }

  private file(runDir: string, node: string): string {
    return join(this.dir, `${runDir.replace(/[^A-Za-z0-9]+/g, '_').slice(-120)}-${node}.json`)
  }
}
