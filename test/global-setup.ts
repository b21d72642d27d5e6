import type { TestProject } from 'vitest/node';
import { startPostgres, stopPostgres } from '../scripts/test-postgres.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server the tests may create databases on. */
    postgresUrl: string;
  }
}

/**
 * Every storage test runs on SQLite and on PostgreSQL. CI starts the server and passes
 * $DECLOG_TEST_PG_URL; without it, a throwaway server runs for the duration of the tests.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env['DECLOG_TEST_PG_URL'];
  if (given) {
    project.provide('postgresUrl', given);
    return () => undefined;
  }
  const started = await startPostgres();
  project.provide('postgresUrl', started.url);
  return () => stopPostgres(started.dir);
}
