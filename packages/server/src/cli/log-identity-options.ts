import { Option, type Command } from 'commander';
import type { EventStore } from '@declog/core';
import { loadSigningKey } from '../keys/signing-key-source.js';
import { newOrigin, openLogIdentity } from '../services/ledger/open-log-identity.js';
import type { LogIdentity } from '../services/ledger/log-identity.js';

export interface LogIdentityOptions {
  readonly origin?: string;
  readonly signingKey?: string;
}

/** Adds the flags that name the log's checkpoint origin and signing key. */
export function withLogIdentity(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--origin <origin>',
        'checkpoint origin line, fixed at the first start (default: a new declog.local/log/… name)',
      ),
    )
    .addOption(
      new Option(
        '--signing-key <file>',
        'checkpoint signing key file (default: DATABASE.key, created on first start; or $DECLOG_SIGNING_KEY)',
      ),
    );
}

/** Loads (or on first start creates) the log's origin and signing key for the database at `dbPath`. */
export async function openIdentity(
  store: EventStore,
  dbPath: string,
  options: LogIdentityOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LogIdentity> {
  const origin = options.origin ?? (await store.setting('origin')) ?? newOrigin();
  const keyText = loadSigningKey(
    {
      file: options.signingKey,
      text: env['DECLOG_SIGNING_KEY'],
      defaultFile: `${dbPath}.key`,
      mayCreate: (await store.setting('verifier_key')) === null,
    },
    origin,
  );
  return openLogIdentity(store, origin, keyText);
}
