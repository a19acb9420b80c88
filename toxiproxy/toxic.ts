import type { Direction } from './direction.js'
import { goFloat32Json, goJsonString } from './go-json-encoder.js'
import type { ToxicKind } from './toxics/toxic-kind.js'

/**
 * A toxic as configured through the API (Go's ToxicWrapper): shared by every link of its proxy and direction; each link
 * runs it in a stub of its own.
 */
export class Toxic {
  constructor(
    readonly name: string,
    readonly kind: ToxicKind,
    /** As the client wrote it (`"Upstream"` stays `"Upstream"`); `direction` is the parsed value. */
    readonly stream: string,
    readonly direction: Direction,
    /** A float32, as in Go: the chance that a link runs the toxic rather than a noop. */
    public toxicity: number,
    /** Every attribute of the kind, missing ones 0. */
    public attributes: Record<string, number>,
  ) {}

  get type(): string {
    return this.kind.type
  }

  /** `{"attributes":{…},"name","type","stream","toxicity"}`, attributes in the Go struct's order. */
  toJson(): string {
    const attributes = this.kind.attributes.map(
      (spec) => `${goJsonString(spec.name)}:${this.attributes[spec.name] ?? 0}`,
    )
    return (
      `{"attributes":{${attributes.join(',')}},"name":${goJsonString(this.name)},"type":${goJsonString(this.type)},` +
      `"stream":${goJsonString(this.stream)},"toxicity":${goFloat32Json(this.toxicity)}}`
    )
  }
}
