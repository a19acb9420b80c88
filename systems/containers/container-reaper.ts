import type { ContainerRuntimeClient } from 'testcontainers'
import { LABELS, ownerIsGone, parseOwnerLabel } from './container-owner.js'

/**
 * Removes the containers that runs of this host left behind when their harness was killed (SIGKILL, a power cut):
 * those whose owner process is gone. Ryuk does the same where it can run; this works where it cannot (Podman without
 * a registry). Returns a line per container removed.
 */
export async function reapOrphanContainers(client: ContainerRuntimeClient): Promise<string[]> {
  const { dockerode } = client.container
  const listed = await dockerode.listContainers({ all: true, filters: { label: [LABELS.owner] } })
  const removed: string[] = []
  for (const info of listed) {
    const owner = parseOwnerLabel(info.Labels[LABELS.owner] ?? '')
    if (!owner || !ownerIsGone(owner)) continue
    try {
      await dockerode.getContainer(info.Id).remove({ force: true, v: true })
      const name = info.Names[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12)
      removed.push(
        `removed container ${name} (${info.Labels[LABELS.node] ?? '?'} of run ${info.Labels[LABELS.run] ?? '?'}), ` +
          `left by a harness (pid ${owner.pid}) that is gone`,
      )
    } catch {
      // removed meanwhile (by Ryuk, or another run's reaper)
    }
  }
  return removed
}
