import { existsSync } from 'node:fs'
import type { ContainerRuntimeClient } from 'testcontainers'
import { EnvironmentError } from '../../core/errors/environment-error.js'

/** Where setup/install-containers.sh starts Podman's Docker-compatible API service. */
export const SETUP_SOCKET = '/run/semisync-chaos/podman.sock'

/** Docker's own socket: when it is there, testcontainers finds Docker by itself. */
const DOCKER_SOCKET = '/var/run/docker.sock'

/** The container engine is not reachable: the message says how to get one. */
export class NoContainerEngineError extends EnvironmentError {
  constructor(detail: string) {
    super(
      `no container engine answers (${detail}). With Docker, start it (or set DOCKER_HOST); without Docker, run ` +
        '`sudo bash setup/install-containers.sh` (Podman and its Docker-compatible service)',
    )
    this.name = 'NoContainerEngineError'
  }
}

/**
 * How testcontainers is pointed at the engine, decided before it is loaded (it reads the environment once). A user's
 * own settings (DOCKER_HOST, ~/.testcontainers.properties, TESTCONTAINERS_*) always win. Without them and without
 * Docker's socket, the Podman service of setup/install-containers.sh is used, with Ryuk off (its image comes from a
 * registry such machines cannot reach; the harness's own reaper removes what a killed run left). The servers are on
 * 127.0.0.1 of the host network, so the host testcontainers would otherwise guess (a bridge gateway, inside a
 * container) is overridden to it.
 */
export function engineEnvironment(
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync,
): Record<string, string> {
  const settings: Record<string, string> = {}
  if (env.DOCKER_HOST === undefined && !exists(DOCKER_SOCKET) && exists(SETUP_SOCKET)) {
    settings.DOCKER_HOST = `unix://${SETUP_SOCKET}`
    if (env.TESTCONTAINERS_RYUK_DISABLED === undefined) settings.TESTCONTAINERS_RYUK_DISABLED = 'true'
  }
  if (env.TESTCONTAINERS_HOST_OVERRIDE === undefined) settings.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1'
  return settings
}

/** testcontainers, loaded once on first use (so runs without containers never load it), and its engine client. */
export interface ContainerEngine {
  testcontainers: typeof import('testcontainers')
  client: ContainerRuntimeClient
  /** `Podman 4.3.1 (unix:///run/semisync-chaos/podman.sock)`, for messages. */
  description: string
}

let engine: Promise<ContainerEngine> | null = null

export function containerEngine(): Promise<ContainerEngine> {
  engine ??= connect().catch((error: unknown) => {
    engine = null
    throw error
  })
  return engine
}

async function connect(): Promise<ContainerEngine> {
  Object.assign(process.env, engineEnvironment(process.env))
  const testcontainers = await import('testcontainers')
  let client: ContainerRuntimeClient
  try {
    client = await testcontainers.getContainerRuntimeClient()
  } catch (error) {
    throw new NoContainerEngineError((error as Error).message)
  }
  const runtime = client.info.containerRuntime
  const description = `container engine ${runtime.serverVersion} (${runtime.operatingSystem}) at ${process.env.DOCKER_HOST ?? 'its default socket'}`
  return { testcontainers, client, description }
}
