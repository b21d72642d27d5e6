import { Command } from 'commander';
import type { MigrationReport } from '../../store/migration.js';
import { migrateStore } from '../../store/migrate-store.js';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';

export function migrateCommand(io: CliIo): Command {
  return withStoreFlags(
    new Command('migrate').description(
      'apply the schema migrations the database lacks (servers also do on start; ' +
        'several at once are safe). A database newer than this declog is refused',
    ),
    `SQLite database file, created if missing (default ${DEFAULT_DB})`,
  )
    .option('--json', 'print {"applied": [...], "version": N} as JSON')
    .action(async (options: StoreFlags & { readonly json?: boolean }) => {
      const report = await migrateStore(storeLocationOf(options, io.env));
      io.stdout.write(
        options.json
          ? `${JSON.stringify({ applied: report.applied, version: report.version })}\n`
          : renderMigrationReport(report),
      );
    });
}

/** `applied migrations 1, 2; schema version 2`, or `schema up to date (version 2)`. */
export function renderMigrationReport(report: MigrationReport): string {
  if (report.applied.length === 0) return `schema up to date (version ${report.version})\n`;
  return `applied migrations ${report.applied.join(', ')}; schema version ${report.version}\n`;
}
