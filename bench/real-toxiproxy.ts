import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { Toxiproxy } from 'toxiproxy-node-client'

/**
 * Starts a real Toxiproxy server (a binary the user built; not part of this repository) on a free loopback port and
 * resolves once its API answers: the proxy benches measure it beside the embedded one.
 */
export async function startRealToxiproxy(binary: string): Promise<{ process: ChildProcess; url: string }> {
  const free = createServer()
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
  const port = (free.address() as AddressInfo).port
  await new Promise<void>((resolve) => free.close(() => resolve()))
  const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await new Toxiproxy(url).getVersion()
      return { process: child, url }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  child.kill()
  throw new Error(`${binary} did not answer on ${url}`)
}
