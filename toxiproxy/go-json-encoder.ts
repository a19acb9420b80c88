/**
 * JSON text as Go's `json.Marshal` writes it, where that differs from JSON.stringify: `<`, `>`, `&`, U+2028 and U+2029
 * are escaped, and a float32 prints in its shortest single-precision form (`0.2`, not `0.20000000298023224`).
 */
const HTML_UNSAFE = /[<>&\u2028\u2029]/g

export function goJsonString(value: string): string {
  return JSON.stringify(value).replace(HTML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function goFloat32Json(value: number): string {
  const single = Math.fround(value)
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits))
    if (Math.fround(candidate) === single) return String(candidate)
  }
  return String(single)
}
