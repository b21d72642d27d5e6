import { Option, type Command } from 'commander';
import type { EventStore } from '@declog/core';
import { loadSigningKey } from '../keys/signing-key-source.js';
import { parseStoreLocation } from '../store/open-store.js';
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
        'checkpoint signing key file (default: $DECLOG_SIGNING_KEY, else DATABASE.key beside a ' +
          'SQLite file or ./declog-signing.key for PostgreSQL, created on first start)',
      ),
    );
}

/**
 * Where a log's signing key is kept unless told otherwise: beside a SQLite file, or in the
 * working directory for a database server (every server of one log needs the same key).
 */
export function defaultSigningKeyFile(location: string): string {
  const parsed = parseStoreLocation(location);
  return parsed.kind === 'sqlite' ? `${parsed.path}.key` : './declog-signing.key';
}

/** Loads (or on first start creates) the origin and signing key of the log at `location`. */
export async function openIdentity(
  store: EventStore,
  location: string,
  options: LogIdentityOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LogIdentity> {
  // Without --origin, a new log's origin is whichever one its first server stores: servers
  // starting together on an empty database each propose one, and all adopt the winner.
  const origin =
    options.origin ??
    (await store.setting('origin')) ??
    (await store.initSetting('origin', newOrigin()));
  const keyText = loadSigningKey(
    {
      file: options.signingKey,
      text: env['DECLOG_SIGNING_KEY'],
      defaultFile: defaultSigningKeyFile(location),
      mayCreate: (await store.setting('verifier_key')) === null,
    },
    origin,
  );
  return openLogIdentity(store, origin, keyText);
}
