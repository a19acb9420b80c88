import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { EXIT_ENVIRONMENT } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { SKIP_REAL_SERVERS, shortMariadbRun } from './mariadb-available.js'

/** A loopback port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe.skipIf(SKIP_REAL_SERVERS)('environment problems are said plainly (exit 253), never a stack trace', () => {
  it('--toxiproxy-url where nothing answers', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`
    const result = await runCli([...shortMariadbRun(tempDir()), '--toxiproxy-url', url])
    expect(result.code).toBe(EXIT_ENVIRONMENT)
    expect(result.stderr).toContain(`--toxiproxy-url ${url}: no Toxiproxy answers there (ECONNREFUSED)`)
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /)
  }, 60_000)
})
