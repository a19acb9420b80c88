/**
 * JSON as Go's `json.NewDecoder(body).Decode(&v)` reads it. Toxiproxy's 400 bodies quote Go's messages, and Go tells
 * `1` from `1.0` (an int attribute rejects the latter), so number literals keep their text, objects keep their key
 * order, and syntax errors carry Go's wording. Like the decoder, only the first value is read and anything after it is
 * ignored.
 */
export type GoJsonValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly literal: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly GoJsonValue[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, GoJsonValue]> }

/** A syntax error with Go's message (`EOF`, `unexpected EOF`, `invalid character 'x' looking for beginning of …`). */
export class GoJsonSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'GoJsonSyntaxError'
  }
}

/**
 * How deep arrays and objects may nest. Go's limit is 10000 (`invalid character '[' exceeded max depth`); this parser
 * recurses, and the stack runs out at about 4000 levels, so it stops at 1000, with Go's message. Real bodies nest 2 deep.
 */
export const MAX_NESTING_DEPTH = 1000

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

export function parseGoJson(text: string): GoJsonValue {
  return new GoJsonParser(text).parseFirstValue()
}

class GoJsonParser {
  private pos = 0
  private depth = 0

  constructor(private readonly text: string) {}

  parseFirstValue(): GoJsonValue {
    this.skipSpace()
    // An empty body is io.EOF, which Go prints as plain "EOF".
    if (this.pos >= this.text.length) throw new GoJsonSyntaxError('EOF')
    return this.value(true)
  }

  private value(topLevel = false): GoJsonValue {
    this.skipSpace()
    const c = this.peek()
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    if (c === '"') return { kind: 'string', value: this.string() }
    if (c === 't') return this.literal('true', { kind: 'bool', value: true })
    if (c === 'f') return this.literal('false', { kind: 'bool', value: false })
    if (c === 'n') return this.literal('null', { kind: 'null' })
    if (c === '-' || isDigit(c)) return { kind: 'number', literal: this.number(topLevel) }
    throw this.invalid('looking for beginning of value')
  }

  private object(): GoJsonValue {
    this.enter()
    const entries: Array<readonly [string, GoJsonValue]> = []
    this.skipSpace()
    if (this.peek() === '}') {
      this.pos++
      return this.leave({ kind: 'object', entries })
    }
    for (;;) {
      this.skipSpace()
      if (this.peek() !== '"') throw this.invalid('looking for beginning of object key string')
      const key = this.string()
      this.skipSpace()
      if (this.peek() !== ':') throw this.invalid('after object key')
      this.pos++
      entries.push([key, this.value()])
      this.skipSpace()
      const c = this.peek()
      this.pos++
      if (c === '}') return this.leave({ kind: 'object', entries })
      if (c !== ',') {
        this.pos--
        throw this.invalid('after object key:value pair')
      }
    }
  }

  private array(): GoJsonValue {
    this.enter()
    const items: GoJsonValue[] = []
    this.skipSpace()
    if (this.peek() === ']') {
      this.pos++
      return this.leave({ kind: 'array', items })
    }
    for (;;) {
      items.push(this.value())
      this.skipSpace()
      const c = this.peek()
      this.pos++
      if (c === ']') return this.leave({ kind: 'array', items })
      if (c !== ',') {
        this.pos--
        throw this.invalid('after array element')
      }
    }
  }

  /** Steps over `{` or `[`, one level deeper; past the limit it is Go's max-depth error, pointing at that bracket. */
  private enter(): void {
    if (this.depth === MAX_NESTING_DEPTH) throw this.invalid('exceeded max depth')
    this.depth++
    this.pos++
  }

  /** After the closing `}` or `]`: back up a level. */
  private leave(value: GoJsonValue): GoJsonValue {
    this.depth--
    return value
  }

  private string(): string {
    this.pos++ // opening quote
    let out = ''
    let runStart = this.pos
    for (;;) {
      const c = this.peek()
      if (c === '"') {
        out += this.text.slice(runStart, this.pos)
        this.pos++
        return out
      }
      if (c === '\\') {
        out += this.text.slice(runStart, this.pos)
        this.pos++
        out += this.escape()
        runStart = this.pos
        continue
      }
      if (c.charCodeAt(0) < 0x20) throw this.invalid('in string literal')
      this.pos++
    }
  }

  private escape(): string {
    const c = this.peek()
    const simple = ESCAPES[c]
    if (simple !== undefined) {
      this.pos++
      return simple
    }
    if (c !== 'u') throw this.invalid('in string escape code')
    this.pos++
    let code = 0
    for (let i = 0; i < 4; i++) {
      const h = this.peek()
      if (!/^[0-9a-fA-F]$/.test(h)) throw this.invalid('in \\u hexadecimal character escape')
      code = code * 16 + parseInt(h, 16)
      this.pos++
    }
    return String.fromCharCode(code)
  }

  /** Go's number grammar; at the top level a number may end at EOF, inside a container EOF is "unexpected EOF". */
  private number(topLevel: boolean): string {
    const start = this.pos
    const atEnd = (): boolean => this.pos >= this.text.length
    const endOfNumber = (): string => {
      if (atEnd() && !topLevel) throw new GoJsonSyntaxError('unexpected EOF')
      return this.text.slice(start, this.pos)
    }
    if (this.peek() === '-') {
      this.pos++
      if (!isDigit(this.peek())) throw this.invalid('in numeric literal')
    }
    if (this.peek() === '0') this.pos++
    else while (isDigit(this.peekOrEmpty())) this.pos++
    if (this.peekOrEmpty() === '.') {
      this.pos++
      if (!isDigit(this.peek())) throw this.invalid('after decimal point in numeric literal')
      while (isDigit(this.peekOrEmpty())) this.pos++
    }
    const e = this.peekOrEmpty()
    if (e === 'e' || e === 'E') {
      this.pos++
      const sign = this.peek()
      if (sign === '+' || sign === '-') this.pos++
      if (!isDigit(this.peek())) throw this.invalid('in exponent of numeric literal')
      while (isDigit(this.peekOrEmpty())) this.pos++
    }
    return endOfNumber()
  }

  private literal(word: string, value: GoJsonValue): GoJsonValue {
    for (let i = 0; i < word.length; i++) {
      const c = this.peek()
      if (c !== word[i]) {
        throw this.invalid(`in literal ${word} (expecting ${goQuoteChar(word[i] as string)})`)
      }
      this.pos++
    }
    return value
  }

  private skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos)
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return
      this.pos++
    }
  }

  /** The next character; running out of input mid-value is Go's "unexpected EOF". */
  private peek(): string {
    if (this.pos >= this.text.length) throw new GoJsonSyntaxError('unexpected EOF')
    return this.text[this.pos] as string
  }

  private peekOrEmpty(): string {
    return this.text[this.pos] ?? ''
  }

  private invalid(context: string): GoJsonSyntaxError {
    return new GoJsonSyntaxError(`invalid character ${goQuoteChar(this.peek())} ${context}`)
  }
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9' && c.length === 1
}

const GO_CONTROL_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
}

/** Go's `quoteChar`: `'x'`, with `'\''`, `'"'` and strconv.Quote escapes for control characters. */
export function goQuoteChar(c: string): string {
  if (c === "'") return `'\\''`
  if (c === '"') return `'"'`
  const code = c.charCodeAt(0)
  if (code < 0x20 || code === 0x7f) {
    return `'${GO_CONTROL_ESCAPES[code] ?? `\\x${code.toString(16).padStart(2, '0')}`}'`
  }
  if (c === '\\') return `'\\\\'`
  return `'${c}'`
}
