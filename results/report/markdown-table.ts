/**
 * Text for one cell of a GitHub-flavoured Markdown table: a `|` would end the cell and a newline the row, a `<` could
 * open HTML, and a backslash would eat the character after it; line breaks become `<br>`.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r?\n|\r/g, '<br>')
}

/** A link whose text is escaped for a table cell and whose target cannot end the link early. */
export function markdownLink(text: string, url: string): string {
  const target = url.replace(/[()\s|<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `[${markdownCell(text).replace(/[[\]]/g, '\\$&')}](${target})`
}

/** A table: a header row, its alignment row, then each row's cells, already escaped (`markdownCell`, `markdownLink`). */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}
