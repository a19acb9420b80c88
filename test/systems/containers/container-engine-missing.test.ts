import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT_ENVIRONMENT } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'

// Its own file: nothing here may have connected to an engine before (the connection is made once per process).
describe('no container engine', () => {
  const saved = process.env.DOCKER_HOST
  afterEach(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST
    else process.env.DOCKER_HOST = saved
  })

  it('run --image with nothing answering at DOCKER_HOST → 253 saying how to get an engine, writing nothing', async () => {
    process.env.DOCKER_HOST = `unix://${join(tempDir(), 'no-docker.sock')}`
    const resultsDir = join(tempDir(), 'results')
    const result = await runCli(['run', '--db', 'mariadb', '--image', 'official', '--results-dir', resultsDir])
    expect(result.code).toBe(EXIT_ENVIRONMENT)
    expect(result.stderr).toMatch(/no container engine answers/)
    expect(result.stderr).toMatch(/setup\/install-containers\.sh/)
    expect(existsSync(resultsDir)).toBe(false)
  })
})
