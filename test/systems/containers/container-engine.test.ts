import { describe, expect, it } from 'vitest'
import { engineEnvironment, SETUP_SOCKET } from '../../../systems/containers/container-engine.js'

const only =
  (...paths: string[]) =>
  (path: string): boolean =>
    paths.includes(path)

describe('pointing testcontainers at an engine', () => {
  it("uses the setup script's Podman service, with Ryuk off, when there is no Docker and no DOCKER_HOST", () => {
    expect(engineEnvironment({}, only(SETUP_SOCKET))).toEqual({
      DOCKER_HOST: `unix://${SETUP_SOCKET}`,
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
    })
  })

  it("leaves Docker to testcontainers when Docker's socket is there (Ryuk on)", () => {
    expect(engineEnvironment({}, only(SETUP_SOCKET, '/var/run/docker.sock'))).toEqual({
      TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
    })
  })

  it("never overrides the user's own settings", () => {
    const env = {
      DOCKER_HOST: 'tcp://127.0.0.1:2375',
      TESTCONTAINERS_RYUK_DISABLED: 'false',
      TESTCONTAINERS_HOST_OVERRIDE: 'localhost',
    }
    expect(engineEnvironment(env, only(SETUP_SOCKET))).toEqual({})
    // A user who set only Ryuk keeps their choice even on the Podman service.
    expect(engineEnvironment({ TESTCONTAINERS_RYUK_DISABLED: 'false' }, only(SETUP_SOCKET))).toEqual({
      DOCKER_HOST: `unix://${SETUP_SOCKET}`,
      TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
    })
  })

  it('sets nothing but the host when no engine is known (testcontainers then says none works)', () => {
    expect(engineEnvironment({}, only())).toEqual({ TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' })
  })
})
