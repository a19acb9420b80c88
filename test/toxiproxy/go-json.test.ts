import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeGoStruct,
  fieldPlace,
  goFloat32,
  goInt,
  goString,
  GoTypeErrors,
} from '../../toxiproxy/go-json-decoder.js'
import { goFloat32Json, goJsonString } from '../../toxiproxy/go-json-encoder.js'
import { MAX_NESTING_DEPTH, parseGoJson, type GoJsonValue } from '../../toxiproxy/go-json-parser.js'

/** The Go-flavoured JSON reading and writing behind Toxiproxy's 400 messages and JSON output. */
function toPlain(value: GoJsonValue): unknown {
  switch (value.kind) {
    case 'null':
      return null
    case 'number':
      return Number(value.literal)
    case 'array':
      return value.items.map(toPlain)
    case 'object':
      // fromEntries makes own properties, so a "__proto__" key stays a key, as JSON.parse keeps it.
      return Object.fromEntries(value.entries.map(([key, item]) => [key, toPlain(item)]))
    default:
      return value.value
  }
}

function syntaxError(text: string): string {
  try {
    parseGoJson(text)
  } catch (error) {
    return (error as Error).message
  }
  return 'no error'
}

describe('Go JSON', () => {
  it('reads whatever JSON.stringify writes, to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value)
        expect(toPlain(parseGoJson(text))).toEqual(JSON.parse(text))
      }),
      { numRuns: 300 },
    )
  })

  it("reports syntax errors in Go's words, reads only the first value, and keeps number literals", () => {
    expect(syntaxError('')).toBe('EOF')
    expect(syntaxError('  \n')).toBe('EOF')
    expect(syntaxError('{"a":')).toBe('unexpected EOF')
    expect(syntaxError('[1,')).toBe('unexpected EOF')
    expect(syntaxError('{"a" 1}')).toBe("invalid character '1' after object key")
    expect(syntaxError('{"a":1 "b":2}')).toBe("invalid character '\"' after object key:value pair")
    expect(syntaxError('[1 2]')).toBe("invalid character '2' after array element")
    expect(syntaxError('{,}')).toBe("invalid character ',' looking for beginning of object key string")
    expect(syntaxError('x')).toBe("invalid character 'x' looking for beginning of value")
    expect(syntaxError('tru')).toBe('unexpected EOF')
    expect(syntaxError('trux')).toBe("invalid character 'x' in literal true (expecting 'e')")
    expect(syntaxError('"a\nb"')).toBe("invalid character '\\n' in string literal")
    expect(syntaxError('"\\q"')).toBe("invalid character 'q' in string escape code")
    expect(syntaxError('-x')).toBe("invalid character 'x' in numeric literal")
    expect(syntaxError('[1.]')).toBe("invalid character ']' after decimal point in numeric literal")
    expect(syntaxError('[1e]')).toBe("invalid character ']' in exponent of numeric literal")
    expect(syntaxError("{'a':1}")).toBe("invalid character '\\'' looking for beginning of object key string")
    expect(parseGoJson('{"a":1} trailing junk')).toEqual({
      kind: 'object',
      entries: [['a', { kind: 'number', literal: '1' }]],
    })
    expect(parseGoJson('1.50')).toEqual({ kind: 'number', literal: '1.50' })
  })

  it("refuses nesting past MAX_NESTING_DEPTH with Go's max-depth error at the bracket that crosses it", () => {
    const nest = (depth: number, opening: (level: number) => string, closing: (level: number) => string): string => {
      let text = '0'
      for (let level = depth; level >= 1; level--) text = `${opening(level)}${text}${closing(level)}`
      return text
    }
    // Alternating arrays and objects, so the message shows which bracket was one too many.
    const mixed = (depth: number): string =>
      nest(
        depth,
        (level) => (level % 2 === 1 ? '[1,' : '{"k":'),
        (level) => (level % 2 === 1 ? ']' : '}'),
      )
    expect(MAX_NESTING_DEPTH).toBe(1000)
    expect(syntaxError(mixed(MAX_NESTING_DEPTH))).toBe('no error')
    expect(syntaxError(mixed(MAX_NESTING_DEPTH + 1))).toBe("invalid character '[' exceeded max depth")
    expect(syntaxError(mixed(MAX_NESTING_DEPTH + 2))).toBe("invalid character '[' exceeded max depth")
    expect(syntaxError(`[${mixed(MAX_NESTING_DEPTH)}]`)).toBe("invalid character '{' exceeded max depth")
    // Depth is nesting, not count: many siblings at the limit are fine, and leaving a level frees it.
    const atLimit = '['.repeat(MAX_NESTING_DEPTH - 1)
    expect(syntaxError(`${atLimit}[],[],{}${']'.repeat(MAX_NESTING_DEPTH - 1)}`)).toBe('no error')
    for (const depth of [5_000, 100_000, 1_000_000]) {
      expect(syntaxError('['.repeat(depth))).toBe("invalid character '[' exceeded max depth")
      expect(syntaxError('{"a":'.repeat(depth))).toBe("invalid character '{' exceeded max depth")
    }
  })

  it('decodes structs like encoding/json: case-insensitive keys, last one wins, null keeps, first type error in document order', () => {
    const errors = new GoTypeErrors()
    const out = { name: 'default', count: 7 }
    decodeGoStruct(parseGoJson('{"NAME":"a","Name":"b","count":null,"other":1}'), { topLevelType: 'T' }, 'T', errors, {
      name: (v) => (out.name = goString(v, fieldPlace('T', 'name'), errors) ?? out.name),
      count: (v) => (out.count = goInt(v, fieldPlace('T', 'count'), 'int64', errors) ?? out.count),
    })
    expect([out, errors.first]).toEqual([{ name: 'b', count: 7 }, null])
    decodeGoStruct(parseGoJson('{"count":"x","name":5}'), { topLevelType: 'T' }, 'T', errors, {
      name: (v) => goString(v, fieldPlace('T', 'name'), errors),
      count: (v) => goInt(v, fieldPlace('T', 'count'), 'int64', errors),
    })
    expect(errors.first).toBe('json: cannot unmarshal string into Go struct field T.count of type int64')
    const constructorKey = new GoTypeErrors()
    decodeGoStruct(parseGoJson('{"constructor":1,"__proto__":2}'), { topLevelType: 'T' }, 'T', constructorKey, {})
    expect(constructorKey.first).toBeNull()
  })

  it('reads Go ints strictly and float32s rounded', () => {
    const int = (literal: string): number | string => {
      const errors = new GoTypeErrors()
      return goInt({ kind: 'number', literal }, fieldPlace('S', 'f'), 'int64', errors) ?? (errors.first as string)
    }
    expect([int('0'), int('-12'), int('9223372036854775807')]).toEqual([0, -12, 9223372036854775807])
    for (const bad of ['1.0', '1e3', '9223372036854775808']) {
      expect(int(bad)).toBe(`json: cannot unmarshal number ${bad} into Go struct field S.f of type int64`)
    }
    const errors = new GoTypeErrors()
    expect(goFloat32({ kind: 'number', literal: '0.2' }, fieldPlace('S', 't'), errors)).toBe(Math.fround(0.2))
    expect(goFloat32({ kind: 'number', literal: '1e39' }, fieldPlace('S', 't'), errors)).toBeUndefined()
    expect(errors.first).toBe('json: cannot unmarshal number 1e39 into Go struct field S.t of type float32')
  })

  it('writes float32s in their shortest form and escapes like Go', () => {
    expect([0.2, 1, 0.5, 0.1, 1 / 3, 1e-7, 0].map((x) => goFloat32Json(Math.fround(x)))).toEqual([
      '0.2',
      '1',
      '0.5',
      '0.1',
      '0.33333334',
      '1e-7',
      '0',
    ])
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // The shortest text reads back as the same float32 (-0 prints as 0, as Go does).
        expect(Math.fround(Number(goFloat32Json(x)))).toBe(Object.is(x, -0) ? 0 : Math.fround(x))
      }),
    )
    expect(goJsonString('<a & b>\u2028')).toBe('"\\u003ca \\u0026 b\\u003e\\u2028"')
  })
})
