import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_TENANT } from '@declog/core';
import { localOperator } from '../../client/local-operator.js';
import { loadMasterKey, readMasterKeyFile } from '../../keys/master-key-source.js';
import { rotateMasterKey } from '../../services/privacy/rotate-master-key.js';
import { openDatabase } from '../../store/open-store.js';
import type { CliIo } from '../cli-io.js';
import { localUser } from '../local-user.js';
import { defaultMasterKeyFile } from '../master-key-option.js';
import { renderRotation } from '../render-rotation.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';

const DEFAULT_BATCH = 500;
const MAX_BATCH = 10_000;

interface KeyOptions extends StoreFlags {
  readonly masterKey?: string;
}

interface RotateOptions extends KeyOptions {
  readonly newKey: string;
  readonly batchSize: number;
  readonly json?: boolean;
}

const MASTER_KEY_HELP =
  'the key in force (default: $DECLOG_MASTER_KEY, else DATABASE.master-key beside a SQLite ' +
  'file or ./declog-master.key for PostgreSQL)';

/** `declog master-key rotate|id`: the key that wraps subject keys and pseudonym keys. */
export function masterKeyCommand(io: CliIo): Command {
  return new Command('master-key')
    .description(
      'the master key that wraps subject keys and pseudonym keys: rotate it on the database, ' +
        "or print a key's id",
    )
    .addCommand(rotateCommand(io))
    .addCommand(idCommand(io));
}

function rotateCommand(io: CliIo): Command {
  return withStoreFlags(
    new Command('rotate').description(
      'rewrap every subject key and pseudonym key of every tenant under a new master key, ' +
        'then make it the key in force (the old one is refused after). Run it on the ' +
        'database while its servers are stopped; an interrupted run is finished by running ' +
        'it again with the same --new-key',
    ),
    `database to change directly (default ${DEFAULT_DB})`,
  )
    .requiredOption(
      '--new-key <file>',
      'the new master key (mode 0600; generate one with: openssl rand -hex 32)',
    )
    .option('--master-key <file>', `${MASTER_KEY_HELP}; not needed to finish a rotation`)
    .option(
      '--batch-size <n>',
      `subject keys rewrapped per transaction, 1-${MAX_BATCH}`,
      parseRotationBatch,
      DEFAULT_BATCH,
    )
    .option('--json', 'print the summary as JSON')
    .action(async (options: RotateOptions) => {
      const location = storeLocationOf(options, io.env);
      const newKey = readMasterKeyFile(options.newKey, 'new master key');
      const oldKey = () =>
        loadMasterKey({
          file: options.masterKey,
          text: io.env['DECLOG_MASTER_KEY'],
          defaultFile: defaultMasterKeyFile(location),
          mayCreate: false,
        });
      const database = await openDatabase(location);
      try {
        const summary = await rotateMasterKey(
          database.governance,
          { newKey, oldKey },
          { batchSize: options.batchSize },
        );
        // The master key is the database's, not a tenant's: recorded where changes to keys
        // of all tenants are.
        const { record } = localOperator(database, {
          user: localUser(io.env),
          now: () => new Date(),
        });
        await record(DEFAULT_TENANT, {
          action: 'master-key.rotate',
          method: 'LOCAL',
          route: 'declog master-key rotate',
          records: summary.rewrapped + summary.pseudonym_keys,
          status: 200,
          details: { from: summary.from, to: summary.to },
        });
        io.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : renderRotation(summary));
      } finally {
        await database.close();
      }
    });
}

function idCommand(io: CliIo): Command {
  return withStoreFlags(
    new Command('id').description(
      "print a master key's id (what the database pins, and what wrapped records name)",
    ),
    `database whose default key file to read (default ${DEFAULT_DB}); it is not opened`,
  )
    .option('--master-key <file>', MASTER_KEY_HELP)
    .action((options: KeyOptions) => {
      const text = io.env['DECLOG_MASTER_KEY'];
      const fromEnv = options.masterKey === undefined && text !== undefined && text.trim() !== '';
      const key = fromEnv
        ? loadMasterKey({ text, defaultFile: '', mayCreate: false })
        : readMasterKeyFile(
            options.masterKey ?? defaultMasterKeyFile(storeLocationOf(options, io.env)),
          );
      io.stdout.write(`${key.id}\n`);
    });
}

function parseRotationBatch(value: string): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_BATCH)) {
    throw new InvalidArgumentError(`must be an integer from 1 to ${MAX_BATCH}`);
  }
  return n;
}
