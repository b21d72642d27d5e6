import { Option, type Command } from 'commander';

export const DEFAULT_DB = './declog.db';

export interface StoreFlags {
  readonly db?: string;
  readonly store?: string;
}

/**
 * Adds `--db PATH` and `--store URL`, which name the database a command opens directly.
 * `also` lists flags that choose another target instead (such as `--url`).
 */
export function withStoreFlags(command: Command, dbHelp: string, also: string[] = []): Command {
  return command
    .addOption(new Option('--db <path>', dbHelp).conflicts(['store', ...also]))
    .addOption(
      new Option(
        '--store <url>',
        'database to open instead of a file: postgres://user@host/db or sqlite:PATH ' +
          '(default: $DECLOG_DATABASE_URL, else the --db file)',
      ).conflicts(also),
    );
}

/** The store the flags name: --store, else --db, else $DECLOG_DATABASE_URL, else ./declog.db. */
export function storeLocationOf(
  flags: StoreFlags,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const fromEnv = env['DECLOG_DATABASE_URL'];
  return (
    flags.store ?? flags.db ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_DB)
  );
}
