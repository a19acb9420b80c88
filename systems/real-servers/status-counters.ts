import type { RowDataPacket } from 'mysql2/promise'
import type { AdminConnection } from './admin-connection.js'

/** `SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_%'` as a map from lower-cased name to value. */
export async function statusCounters(admin: AdminConnection): Promise<Map<string, string>> {
  const rows = await admin.query<RowDataPacket & { Variable_name: string; Value: string }>(
    "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_%'",
  )
  return new Map(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]))
}
