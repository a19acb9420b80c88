// Entry of the process removeContainersNow starts: removes the containers named on the command line, then exits.
import { containerEngine } from './container-engine.js'

const { client } = await containerEngine()
for (const id of process.argv.slice(2)) {
  await client.container.dockerode
    .getContainer(id)
    .remove({ force: true, v: true })
    .catch(() => undefined)
}
