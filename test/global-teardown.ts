import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

/**
 * After the whole suite: no mariadbd started by a test may still run. Tests put their servers under the temp dir
 * (`ssc-*`); any survivor is killed and the run fails, naming it.
 */
export default function setup(): () => void {
  return () => {
    const leaked: string[] = []
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      let cmd = ''
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
      } catch {
        continue
      }
      if (!cmd.includes('mariadbd') || !cmd.includes(`${tmpdir()}/ssc-`)) continue
      leaked.push(`${pid}: ${cmd.trim()}`)
      try {
        process.kill(Number(pid), 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }
    if (leaked.length > 0) throw new Error(`tests left mariadbd running (now killed):\n${leaked.join('\n')}`)
  }
}
