import type { RowDataPacket } from 'mysql2/promise'
import type { AdminConnection } from './admin-connection.js'

/** `SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_%'`, read by name (case-insensitive); a missing counter reads 0 or OFF. */
export interface StatusCounters {
  count(name: string): number
  onOff(name: string): 'ON' | 'OFF'
}

export async function statusCounters(admin: AdminConnection): Promise<StatusCounters> {
  const rows = await admin.query<RowDataPacket & { Variable_name: string; Value: string }>(
    "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_%'",
  )
  const values = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]))
  return {
    count: (name) => Number(values.get(name.toLowerCase()) ?? 0),
    onOff: (name) => (values.get(name.toLowerCase()) === 'ON' ? 'ON' : 'OFF'),
  }
}
