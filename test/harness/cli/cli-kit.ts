import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vi } from 'vitest'
import { main } from '../../../harness/cli/main.js'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the CLI in-process with stdout and stderr captured (and kept off the test output). */
export async function runCli(argv: string[]): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const collect =
    (sink: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    }
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(collect(out) as typeof process.stdout.write)
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(collect(err) as typeof process.stderr.write)
  try {
    const code = await main(argv)
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    stdout.mockRestore()
    stderr.mockRestore()
  }
}

/**
 * A fresh temp dir for run outputs (never the repo's store/). Enterable by others (0711), as the servers of a root
 * harness run as an unprivileged user and must reach their node folders below it.
 */
export function tempDir(prefix = 'ssc-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o711)
  return dir
}
