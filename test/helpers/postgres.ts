import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The test PostgreSQL server's URL for database `name` (default: its maintenance database). */
export function postgresUrl(name?: string): string {
  const url = new URL(inject('postgresUrl'));
  if (name !== undefined) url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database for one test and returns its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const name = `declog_test_${randomBytes(6).toString('hex')}`;
  await withPostgres(postgresUrl(), (client) => client.query(`CREATE DATABASE ${name}`));
  return postgresUrl(name);
}

/** Runs `work` on one connection to `url`, then closes it. */
export async function withPostgres<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
