import { freshPostgresDatabase } from './postgres.js';
import { runCommand } from './run-cli.js';

/** The PostgreSQL client tools that operators back a database up with. */
const PG_DUMP = process.env['DECLOG_TEST_PG_DUMP'] ?? '/usr/bin/pg_dump';
const PG_RESTORE = process.env['DECLOG_TEST_PG_RESTORE'] ?? '/usr/bin/pg_restore';

/** `pg_dump --format=custom` of the database at `url` into `file`: one consistent snapshot. */
export async function dumpDatabase(url: string, file: string): Promise<void> {
  const result = await runCommand(PG_DUMP, ['--format=custom', '--file', file, '--dbname', url]);
  if (result.code !== 0) throw new Error(`pg_dump failed (${result.code}): ${result.stderr}`);
}

/** `pg_restore` of a custom-format dump into a new, empty database; resolves to its URL. */
export async function restoreDatabase(file: string): Promise<string> {
  const url = await freshPostgresDatabase();
  const result = await runCommand(PG_RESTORE, [
    '--exit-on-error',
    '--no-owner',
    '--dbname',
    url,
    file,
  ]);
  if (result.code !== 0) throw new Error(`pg_restore failed (${result.code}): ${result.stderr}`);
  return url;
}

/** `pg_dump --format=plain` of the database at `url`: its schema and rows as SQL text. */
export async function dumpDatabaseText(url: string): Promise<string> {
  const result = await runCommand(PG_DUMP, ['--format=plain', '--dbname', url]);
  if (result.code !== 0) throw new Error(`pg_dump failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}
