import { bandwidthToxic } from './bandwidth.js'
import { latencyToxic } from './latency.js'
import { limitDataToxic } from './limit-data.js'
import { noopToxic } from './noop.js'
import { resetPeerToxic } from './reset-peer.js'
import { slicerToxic } from './slicer.js'
import { slowCloseToxic } from './slow-close.js'
import { timeoutToxic } from './timeout.js'
import type { ToxicKind } from './toxic-kind.js'

/** The toxic types this server knows, by their API name (case-sensitive, as in Toxiproxy's registry). */
const KINDS: ReadonlyMap<string, ToxicKind> = new Map(
  [
    latencyToxic,
    bandwidthToxic,
    slowCloseToxic,
    timeoutToxic,
    resetPeerToxic,
    slicerToxic,
    limitDataToxic,
    noopToxic,
  ].map((kind) => [kind.type, kind]),
)

export function toxicKind(type: string): ToxicKind | undefined {
  return KINDS.get(type)
}

export function toxicTypes(): string[] {
  return [...KINDS.keys()]
}
