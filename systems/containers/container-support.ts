import type Dockerode from 'dockerode'
import type { ServerDialect } from '../real-servers/server-dialect.js'
import type { ServerHosting } from '../real-servers/server-hosting.js'
import type { ContainerSupport } from '../real-servers/server-system.js'
import { EnvironmentError } from '../../core/errors/environment-error.js'
import { containerEngine } from './container-engine.js'
import { ContainerHosting } from './container-hosting.js'

/** The image cannot be had: not on the engine, and pulling it failed. */
export class MissingImageError extends EnvironmentError {
  constructor(image: string, detail: string) {
    super(
      `image ${image} is not on the container engine and could not be pulled (${detail}). Where no registry is ` +
        'reachable, build the local images with `sudo bash setup/install-containers.sh` and pass --image ' +
        'localhost/semisync-chaos/mysql:<version> (or …/mariadb:<version>)',
    )
    this.name = 'MissingImageError'
  }
}

/** Whether the engine holds the image (any error but "no such image" is the engine's and propagates). */
async function hasImage(dockerode: Dockerode, image: string): Promise<boolean> {
  try {
    await dockerode.getImage(image).inspect()
    return true
  } catch (error) {
    if (/no such image|image not known/i.test((error as Error).message)) return false
    throw error
  }
}

/**
 * Pulls the image; resolves to the engine's error, or null. The engine reports a failed pull inside the progress
 * stream, not as an HTTP error, so the stream's lines are read for it.
 */
async function pull(dockerode: Dockerode, image: string): Promise<string | null> {
  let stream: NodeJS.ReadableStream
  try {
    stream = await dockerode.pull(image)
  } catch (error) {
    return (error as Error).message
  }
  return new Promise((resolve) => {
    let failure: string | null = null
    let pending = ''
    stream.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        try {
          const event = JSON.parse(line) as { error?: string }
          if (event.error) failure = event.error
        } catch {
          // a progress line that is not JSON
        }
      }
    })
    stream.on('end', () => resolve(failure))
    stream.on('error', (error: Error) => resolve(error.message))
  })
}

/** Containers for the real-server systems: the engine must answer and the image must be there (pulled if need be). */
export const containerSupport: ContainerSupport = {
  async preflight(image: string): Promise<string> {
    const engine = await containerEngine()
    const { dockerode } = engine.client.container
    if (!(await hasImage(dockerode, image))) {
      const failure = await pull(dockerode, image)
      if (failure !== null || !(await hasImage(dockerode, image))) {
        throw new MissingImageError(image, failure ?? 'the engine finished the pull without it')
      }
    }
    return `${image} on ${engine.description}`
  },
  async hosting(dialect: ServerDialect, image: string, runDir: string): Promise<ServerHosting> {
    return new ContainerHosting({ dialect, image, runDir })
  },
}
