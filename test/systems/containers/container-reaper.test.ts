import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import type { StartedTestContainer } from 'testcontainers'
import { containerEngine } from '../../../systems/containers/container-engine.js'
import { currentOwner, LABELS, ownerLabel, type Owner } from '../../../systems/containers/container-owner.js'
import { reapOrphanContainers } from '../../../systems/containers/container-reaper.js'
import { containersForTests, REQUIRE_CONTAINERS } from './containers-for-tests.js'

const found = await containersForTests()
const image = found?.images.mariadb ?? null
const started: StartedTestContainer[] = []
afterAll(async () => {
  for (const container of started) await container.stop({ timeout: 0 }).catch(() => undefined)
})

/** A pid that just exited: its owner is certainly gone. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim())
}

async function sleeper(owner: Owner, node: string): Promise<string> {
  const { testcontainers } = await containerEngine()
  const container = await new testcontainers.GenericContainer(image as string)
    .withNetworkMode('host')
    .withCommand(['sleep', '300'])
    .withLabels({ [LABELS.owner]: ownerLabel(owner), [LABELS.run]: '/tmp/reaper-test', [LABELS.node]: node })
    .start()
  started.push(container)
  return container.getId()
}

describe.skipIf(image === null && !REQUIRE_CONTAINERS)('the container reaper', () => {
  it('removes the containers of a harness that is gone, and only those', async () => {
    const me = currentOwner()
    const orphan = await sleeper({ host: hostname(), pid: deadPid(), startTime: me.startTime }, 'n1')
    const mine = await sleeper(me, 'n2')
    const elsewhere = await sleeper({ host: `${hostname()}-other`, pid: deadPid(), startTime: '1' }, 'n3')
    const lines = await reapOrphanContainers(found!.client)
    expect(lines.filter((line) => line.includes('/tmp/reaper-test'))).toEqual([
      expect.stringMatching(/^removed container \S+ \(n1 of run \/tmp\/reaper-test\), left by a harness \(pid \d+\)/),
    ])
    const left = (await found!.client.container.dockerode.listContainers({ all: true })).map((c) => c.Id)
    expect(left).not.toContain(orphan)
    expect(left).toEqual(expect.arrayContaining([mine, elsewhere]))
  }, 120_000)
})
