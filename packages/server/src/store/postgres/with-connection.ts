import type pg from 'pg';

/**
 * Runs `work` on a connection of its own from `pool`, then gives the connection back, or
 * discards it if `work` failed (it may be broken, or inside a transaction).
 *
 * While a connection is checked out, pg-pool does not listen for its errors. When the server
 * drops it (a restart, a failover) pg fails the query in progress and also emits 'error' on
 * the connection, which, unheard, would end the process. The failed query reports the outage.
 */
export async function withConnection<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  let failure: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(failure);
  }
}
