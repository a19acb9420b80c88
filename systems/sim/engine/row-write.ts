/** A row change a transaction makes; the binlog carries these (ROW format). */
export interface RowWrite {
  table: string
  key: string
  value: unknown
}
