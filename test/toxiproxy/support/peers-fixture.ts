import { afterAll, afterEach, beforeAll } from 'vitest'
import { startServerUnderTest, type ServerUnderTest } from './server-under-test.js'
import { startEchoServer, startRecordingServer, type RecordingServer } from './tcp-peers.js'

/** One server under test and two TCP peers for a whole test file. */
export interface PeersFixture {
  server: ServerUnderTest
  echo: Awaited<ReturnType<typeof startEchoServer>>
  recorder: RecordingServer
}

/**
 * Registers the file's hooks: starts the server under test, an echo server and a recording server before the tests,
 * removes every proxy after each test, and closes all three at the end. Read the fields inside tests and hooks.
 */
export function usePeersFixture(): PeersFixture {
  const fixture = {} as PeersFixture
  beforeAll(async () => {
    fixture.server = await startServerUnderTest()
    fixture.echo = await startEchoServer()
    fixture.recorder = await startRecordingServer()
  })
  afterEach(async () => fixture.server.wipe())
  afterAll(async () => {
    await fixture.server.close()
    await fixture.echo.close()
    await fixture.recorder.close()
  })
  return fixture
}
