import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { demultiplexLog } from '../../../systems/containers/container-logs.js'

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(body.length, 4)
  return Buffer.concat([header, body])
}

describe("a container's log without a TTY", () => {
  it('is the frames of both streams, in the order written', () => {
    const raw = Buffer.concat([frame(1, 'initializing\n'), frame(2, '[Note] ready for connections.\n'), frame(1, 'x')])
    expect(demultiplexLog(raw)).toBe('initializing\n[Note] ready for connections.\nx')
  })

  it('round-trips any sequence of frames', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(1 as const, 2 as const), fc.string())), (frames) => {
        const raw = Buffer.concat(frames.map(([stream, text]) => frame(stream, text)))
        expect(demultiplexLog(raw)).toBe(frames.map(([, text]) => text).join(''))
      }),
    )
  })

  it('is returned as it is when the engine sent plain text', () => {
    expect(demultiplexLog(Buffer.from('2026-12-01 19:40:31 0 [Note] Starting MariaDB\n'))).toBe(
      '2026-12-01 19:40:31 0 [Note] Starting MariaDB\n',
    )
    expect(demultiplexLog(Buffer.alloc(0))).toBe('')
  })

  it('keeps what a cut-off last frame holds', () => {
    const raw = frame(2, 'InnoDB: Shutdown completed')
    expect(demultiplexLog(raw.subarray(0, raw.length - 4))).toBe('InnoDB: Shutdown compl')
  })
})
