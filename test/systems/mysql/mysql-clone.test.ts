import { describe, expect, it } from 'vitest'
import { mysqlDialect } from '../../../systems/mysql/mysql-dialect.js'
import type { AdminConnection } from '../../../systems/real-servers/admin-connection.js'
import type { CloneRequest } from '../../../systems/real-servers/server-dialect.js'

/** An admin session that answers the status query with `waiting` sessions and records every other statement. */
function fakeAdmin(
  waiting: number,
  onStatement: (sql: string) => unknown = () => [],
): AdminConnection & { sql: string[] } {
  const sql: string[] = []
  return {
    sql,
    async query(statement: string) {
      if (statement.startsWith('SHOW GLOBAL STATUS')) {
        return [{ Variable_name: 'Rpl_semi_sync_source_wait_sessions', Value: String(waiting) }]
      }
      sql.push(statement)
      return onStatement(statement)
    },
  } as unknown as AdminConnection & { sql: string[] }
}

const clone = mysqlDialect().clone as (r: CloneRequest) => Promise<void>
const request = (recipient: AdminConnection, donor: AdminConnection): CloneRequest => ({
  recipient,
  donor,
  donorName: 'n2',
  donorPort: 23456,
  account: { user: 'ssc_admin', password: 'secret-123' },
})

describe("MySQL's clone rejoin", () => {
  it('refuses when the donor has commits waiting for an ack (the clone would wait for them forever)', async () => {
    const recipient = fakeAdmin(0)
    await expect(clone(request(recipient, fakeAdmin(2)))).rejects.toThrow(
      /n2 has 2 commit\(s\) waiting for a semi-sync ack.*refusing a clone that could never finish/,
    )
    expect(recipient.sql).toEqual([])
  })

  it('clones through the given port, and takes error 3707 (no supervisor to restart it) as success', async () => {
    const recipient = fakeAdmin(0, (sql) => {
      if (sql.startsWith('CLONE INSTANCE')) {
        throw new Error('n1: CLONE INSTANCE failed', { cause: { errno: 3707 } })
      }
      return []
    })
    await clone(request(recipient, fakeAdmin(0)))
    expect(recipient.sql).toEqual([
      "SET GLOBAL clone_valid_donor_list='127.0.0.1:23456'",
      "CLONE INSTANCE FROM 'ssc_admin'@'127.0.0.1':23456 IDENTIFIED BY 'secret-123'",
    ])
  })

  it('passes any other clone error on (near miss of 3707)', async () => {
    const recipient = fakeAdmin(0, (sql) => {
      if (sql.startsWith('CLONE INSTANCE')) throw new Error('access denied', { cause: { errno: 1227 } })
      return []
    })
    await expect(clone(request(recipient, fakeAdmin(0)))).rejects.toThrow(/access denied/)
  })
})
