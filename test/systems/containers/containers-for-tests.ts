import type { ContainerRuntimeClient } from 'testcontainers'
import { containerEngine } from '../../../systems/containers/container-engine.js'
import { ContainerHosting } from '../../../systems/containers/container-hosting.js'
import { LABELS } from '../../../systems/containers/container-owner.js'
import { newRunCredentials, type Account } from '../../../systems/real-servers/run-credentials.js'
import type { ServerDialect } from '../../../systems/real-servers/server-dialect.js'
import type { ServerInstance } from '../../../systems/real-servers/server-hosting.js'

/** The images setup/install-containers.sh builds, by product (their tags carry the server's version). */
export interface TestImages {
  mariadb: string | null
  mysql: string | null
}

/**
 * The engine and the local images, if this machine has them. CI runs setup/install-containers.sh, so there a missing
 * engine or image fails the suites instead of skipping them.
 */
export async function containersForTests(): Promise<{ client: ContainerRuntimeClient; images: TestImages } | null> {
  try {
    const { client } = await containerEngine()
    const listed = await client.container.dockerode.listImages({
      filters: { label: ['org.semisync-chaos.recipe'] },
    })
    const tags = listed.flatMap((image) => image.RepoTags ?? [])
    const find = (product: string): string | null =>
      tags.find((tag) => new RegExp(`semisync-chaos/${product}:\\d+\\.\\d+$`).test(tag)) ?? null
    return { client, images: { mariadb: find('mariadb'), mysql: find('mysql') } }
  } catch {
    return null
  }
}

export const REQUIRE_CONTAINERS = process.env.CI === 'true'

/** The containers (any state) whose run label starts with `runDirPrefix`: what a run under it left. */
export async function containersOfRuns(client: ContainerRuntimeClient, runDirPrefix: string): Promise<string[]> {
  const listed = await client.container.dockerode.listContainers({ all: true, filters: { label: [LABELS.run] } })
  return listed.filter((c) => (c.Labels[LABELS.run] ?? '').startsWith(runDirPrefix)).map((c) => c.Id)
}

/** A prepared container hosting of `image`, and its nodes: plain servers, semi-sync off, not started. */
export async function hostingForTests(
  dialect: ServerDialect,
  image: string,
  runDir: string,
): Promise<{ hosting: ContainerHosting; admin: Account; node: (name: string) => ServerInstance }> {
  const hosting = new ContainerHosting({ dialect, image, runDir })
  await hosting.prepare()
  const credentials = newRunCredentials()
  const semiSync = {
    sourceEnabled: false,
    replicaEnabled: false,
    waitPoint: 'after_sync',
    timeoutMs: 1000,
    waitNoReplica: true,
    waitForReplicaCount: 1,
  } as const
  return {
    hosting,
    admin: hosting.adminAccount(credentials),
    node: (name) => hosting.node({ name, serverId: 1, semiSync, syncRelayLog: 1 }, credentials),
  }
}
