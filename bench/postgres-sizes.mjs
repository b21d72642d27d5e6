import pg from 'pg';

/**
 * Bytes each table of a PostgreSQL database occupies with its indexes and TOAST, after a
 * VACUUM; monthly partitions are counted under their parent table. Largest first.
 */
export async function postgresTableSizes(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM');
    const { rows } = await client.query(`
      SELECT coalesce(parent.relname, c.relname) AS name,
             sum(pg_total_relation_size(c.oid))::bigint AS bytes
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
        LEFT JOIN pg_class parent ON parent.oid = i.inhparent
       WHERE c.relkind = 'r'
       GROUP BY 1`);
    return rows
      .map((row) => ({ name: row.name, bytes: Number(row.bytes) }))
      .sort((a, b) => b.bytes - a.bytes);
  } finally {
    await client.end();
  }
}
