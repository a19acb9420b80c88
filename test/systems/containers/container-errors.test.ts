import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_ENVIRONMENT } from '../../../harness/cli/exit-codes.js'
import { runCli, tempDir } from '../../harness/cli/cli-kit.js'
import { containersForTests, REQUIRE_CONTAINERS } from './containers-for-tests.js'

const found = await containersForTests()

describe.skipIf(found === null && !REQUIRE_CONTAINERS)('an image that cannot be had', () => {
  it('matrix --image <nowhere> → 253 naming the image and the local images, before any row runs', async () => {
    const resultsDir = join(tempDir(), 'results')
    // Docker Hub has no such repository; where no registry is reachable the pull fails at once too.
    const image = 'semisync-chaos-test/nowhere:0'
    const result = await runCli(['matrix', '--db', 'mysql', '--image', image, '--results-dir', resultsDir])
    expect(result.code).toBe(EXIT_ENVIRONMENT)
    expect(result.stderr).toContain(`image ${image} is not on the container engine and could not be pulled`)
    expect(result.stderr).toMatch(/setup\/install-containers\.sh/)
    expect(existsSync(resultsDir)).toBe(false)
  }, 60_000)
})
