import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { SetChecker } from '../../checkers/set-checker.js'
import type { Op } from '../../core/history/op.js'
import { HistoryBuilder } from './history-builder.js'

type AddOutcome = 'ok' | 'info' | 'fail' | 'pending'

/** One step of a generated set workload; `applied` decides whether an uncertain add really took effect. */
type Step =
  | { kind: 'add'; slot: number; outcome: AddOutcome; applied: boolean }
  | { kind: 'read'; slot: number; node: string; rotate: number }
  | { kind: 'add-racing-read'; slot: number; readSees: boolean }
  | { kind: 'failover' }

const SLOTS = 3

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    slot: fc.nat({ max: SLOTS - 1 }),
    outcome: fc.constantFrom<AddOutcome>('ok', 'info', 'fail', 'pending'),
    applied: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('read' as const),
    slot: fc.nat({ max: SLOTS - 1 }),
    node: fc.constantFrom('n1', 'n2'),
    rotate: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('add-racing-read' as const),
    slot: fc.nat({ max: SLOTS - 1 }),
    readSees: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('failover' as const) }),
)

interface Generated {
  ops: Op[]
  okElements: number[]
  finalPrimary: Op
}

/**
 * A correct set run: every ok add is in every read that began after its ack, a read racing an add may or may not see
 * it, uncertain adds are visible from the start if they took effect, and the final reads hold exactly what is visible.
 */
function buildCorrectHistory(steps: readonly Step[]): Generated {
  const h = new HistoryBuilder()
  const processes = Array.from({ length: SLOTS }, (_, i) => i)
  let nextProcess = SLOTS
  let nextElement = 0
  const visible: number[] = []
  const okElements: number[] = []
  const retire = (slot: number) => {
    processes[slot] = nextProcess++
  }
  const processIn = (slot: number) => processes[slot] ?? 0

  for (const step of steps) {
    if (step.kind === 'failover') {
      h.nemesis('failover', 'n2', 'invoke')
      h.nemesis('failover', 'n2', 'info')
    } else if (step.kind === 'read') {
      const shift = visible.length === 0 ? 0 : step.rotate % visible.length
      h.read(processIn(step.slot), [...visible.slice(shift), ...visible.slice(0, shift)], { node: step.node })
    } else if (step.kind === 'add') {
      const element = nextElement++
      h.add(processIn(step.slot), element, step.outcome)
      if (step.outcome === 'ok' || ((step.outcome === 'info' || step.outcome === 'pending') && step.applied)) {
        visible.push(element)
      }
      if (step.outcome === 'ok') okElements.push(element)
      if (step.outcome === 'info' || step.outcome === 'pending') retire(step.slot)
    } else {
      const element = nextElement++
      const adder = processIn(step.slot)
      const reader = processIn((step.slot + 1) % SLOTS)
      h.invoke(adder, 'add', element)
      h.invoke(reader, 'read', null)
      h.complete(adder, 'ok', 'add', element)
      h.complete(reader, 'ok', 'read', step.readSees ? [...visible, element] : [...visible])
      visible.push(element)
      okElements.push(element)
    }
  }
  const finalPrimary = h.finalRead(nextProcess++, 'n1', 'primary', [...visible])
  h.finalRead(nextProcess++, 'n2', 'replica', [...visible])
  return { ops: h.ops(), okElements, finalPrimary }
}

const okStep: Step = { kind: 'add', slot: 0, outcome: 'ok', applied: true }

describe('SetChecker properties', () => {
  it('finds nothing wrong with a correct history', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        const { ops, okElements } = buildCorrectHistory(steps)
        const result = new SetChecker().check(ops, {})
        expect(result.anomalies).toEqual([])
        expect(result.valid).toBe(true)
        expect(result.stats['okAdds']).toBe(okElements.length)
      }),
    )
  })

  it('reports exactly the acked element removed from the final primary read as lost', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), fc.nat(), (steps, pick) => {
        const { ops, okElements, finalPrimary } = buildCorrectHistory([okStep, ...steps])
        const lost = okElements[pick % okElements.length]
        const finalValue = finalPrimary.value as number[]
        const tampered = ops.map((op) =>
          op === finalPrimary ? { ...op, value: finalValue.filter((element) => element !== lost) } : op,
        )
        const result = new SetChecker().check(tampered, {})
        expect(result.valid).toBe(false)
        const lostReports = result.anomalies.filter((a) => a.kind === 'lost-acked-write')
        expect(lostReports.map((a) => a.evidence['element'])).toEqual([lost])
        // A lost element some client had read is also a phantom read; nothing else may be reported.
        for (const anomaly of result.anomalies) {
          expect(anomaly.kind === 'lost-acked-write' || anomaly.kind === 'phantom-read').toBe(true)
          expect(anomaly.evidence['element']).toBe(lost)
        }
      }),
    )
  })
})
