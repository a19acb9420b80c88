import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface BuildInfo {
  tool: string
  version: string
  node: string
  gitCommit: string | null
  gitDirty: boolean | null
}

function findPackageJson(): { name: string; version: string; dir: string } {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string }
      if (pkg.name === 'semisync-chaos') return { ...pkg, dir }
    } catch {
      // keep walking up
    }
    dir = dirname(dir)
  }
  return { name: 'semisync-chaos', version: 'unknown', dir: process.cwd() }
}

/** What produced a run: recorded in test.json so a result can be tied to the code that made it. */
export function buildInfo(): BuildInfo {
  const pkg = findPackageJson()
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: pkg.dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
    } catch {
      return null
    }
  }
  const commit = git(['rev-parse', 'HEAD'])
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no'])
  return { tool: pkg.name, version: pkg.version, node: process.version, gitCommit: commit, gitDirty: status === null ? null : status.length > 0 }
}
