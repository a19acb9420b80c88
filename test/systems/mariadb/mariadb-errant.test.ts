import { describe, expect, it } from 'vitest'
import { mariadbDialect } from '../../../systems/mariadb/mariadb-dialect.js'
import type { AdminConnection } from '../../../systems/real-servers/admin-connection.js'

/** A node whose `@@gtid_binlog_pos` is `pos`. */
const node = (pos: string): AdminConnection => ({ query: async () => [{ pos }] }) as unknown as AdminConnection
const dialect = mariadbDialect()

describe("MariaDB's errant transactions (one domain-0 position per node, not a set)", () => {
  it('names a GTID past the primary, or at its sequence number from another server', async () => {
    expect(await dialect.errantTransactions(node('0-1-14'), '0-2-13')).toBe('0-1-14')
    expect(await dialect.errantTransactions(node('0-1-13'), '0-2-13')).toBe('0-1-13')
  })

  it('finds none for a node at or behind the primary (near misses), or with nothing binlogged', async () => {
    expect(await dialect.errantTransactions(node('0-2-13'), '0-2-13')).toBe('')
    expect(await dialect.errantTransactions(node('0-1-10'), '0-2-13')).toBe('')
    expect(await dialect.errantTransactions(node(''), '0-2-13')).toBe('')
  })
})
