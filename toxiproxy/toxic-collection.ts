import {
  ERR_INVALID_STREAM,
  ERR_INVALID_TOXIC_TYPE,
  ERR_TOXIC_ALREADY_EXISTS,
  ERR_TOXIC_NOT_FOUND,
} from './api-errors.js'
import { DIRECTIONS, parseDirection, type Direction } from './direction.js'
import { GoTypeErrors } from './go-json-decoder.js'
import { checkNameLength } from './name-limit.js'
import { throwFirstTypeError } from './request-body.js'
import { decodeAttributes, decodeToxicCreate, decodeToxicUpdate } from './toxic-bodies.js'
import type { ToxicLink } from './toxic-link.js'
import { Toxic } from './toxic.js'
import { toxicKind } from './toxics/registry.js'

/**
 * A proxy's toxics (Go's ToxicCollection): one chain per direction, in insertion order, and the live links they run on.
 * Every change to a chain is applied to each live link of that direction at once.
 */
export class ToxicCollection {
  private readonly chains: Record<Direction, Toxic[]> = { upstream: [], downstream: [] }
  private readonly links = new Set<ToxicLink>()

  /** The upstream chain, then the downstream chain, as the API lists them. */
  list(): Toxic[] {
    return DIRECTIONS.flatMap((direction) => this.chains[direction])
  }

  chain(direction: Direction): readonly Toxic[] {
    return this.chains[direction]
  }

  /** Toxic names are unique across both directions of a proxy. */
  find(name: string): Toxic | undefined {
    return this.list().find((toxic) => toxic.name === name)
  }

  get(name: string): Toxic {
    const toxic = this.find(name)
    if (toxic === undefined) throw ERR_TOXIC_NOT_FOUND
    return toxic
  }

  hasResetPeer(): boolean {
    return this.list().some((toxic) => toxic.type === 'reset_peer')
  }

  attach(link: ToxicLink): void {
    this.links.add(link)
  }

  detach(link: ToxicLink): void {
    this.links.delete(link)
  }

  /** Toxiproxy's AddToxicJson, with its check order: body → stream → default name → type → duplicate → attributes. */
  addFromJson(body: string): Toxic {
    const fields = decodeToxicCreate(body)
    const direction = parseDirection(fields.stream)
    if (direction === null) throw ERR_INVALID_STREAM
    const name = fields.name === '' ? `${fields.type}_${fields.stream}` : fields.name
    const kind = toxicKind(fields.type)
    if (kind === undefined) throw ERR_INVALID_TOXIC_TYPE
    if (this.find(name) !== undefined) throw ERR_TOXIC_ALREADY_EXISTS
    const attributes = Object.fromEntries(kind.attributes.map((spec) => [spec.name, 0]))
    const errors = new GoTypeErrors()
    decodeAttributes(fields.attributes, kind, attributes, errors, '')
    throwFirstTypeError(errors)
    checkNameLength(name)
    const toxic = new Toxic(name, kind, fields.stream, direction, fields.toxicity, attributes)
    this.chains[direction].push(toxic)
    for (const link of this.linksOf(direction)) link.addToxic(toxic)
    return toxic
  }

  /** Toxiproxy's UpdateToxicJson: attributes merge, toxicity is kept when absent; name, type and stream are ignored. */
  updateFromJson(name: string, body: string): Toxic {
    const toxic = this.get(name)
    const update = decodeToxicUpdate(body, toxic.kind, toxic)
    toxic.attributes = update.attributes
    toxic.toxicity = update.toxicity
    for (const link of this.linksOf(toxic.direction)) link.updateToxic(toxic)
    return toxic
  }

  remove(name: string): void {
    const toxic = this.get(name)
    const chain = this.chains[toxic.direction]
    chain.splice(chain.indexOf(toxic), 1)
    for (const link of this.linksOf(toxic.direction)) link.removeToxic(toxic)
  }

  /** POST /reset: every toxic goes (a `timeout` toxic closes its connections as it goes). */
  reset(): void {
    for (const toxic of this.list()) this.remove(toxic.name)
  }

  private linksOf(direction: Direction): ToxicLink[] {
    return [...this.links].filter((link) => link.direction === direction)
  }
}
