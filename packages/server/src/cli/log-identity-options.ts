import { Option, type Command } from 'commander';
import { parseSignerKey, type EventStore } from '@declog/core';
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
        "checkpoint origin line, fixed at the first start (default: the signing key's name when " +
          'a key is given, else a new declog.local/log/… name)',
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
  // A key given by flag or environment names the origin of a new log (C2SP checkpoints are
  // signed under a key named after their origin); a key made here is named after the origin.
  const text = env['DECLOG_SIGNING_KEY'];
  const keyGiven = options.signingKey !== undefined || (text !== undefined && text.trim() !== '');
  const source = {
    file: options.signingKey,
    text,
    defaultFile: defaultSigningKeyFile(location),
    mayCreate: (await store.setting('verifier_key')) === null,
  };
  const givenKey = keyGiven ? loadSigningKey({ ...source, mayCreate: false }, '') : undefined;
  // Without --origin, a new log's origin is whichever one its first server stores: servers
  // starting together on an empty database each propose one, and all adopt the winner.
  const origin =
    options.origin ??
    (await store.setting('origin')) ??
    (await store.initSetting('origin', givenKey ? signerKeyName(givenKey) : newOrigin()));
  return openLogIdentity(store, origin, givenKey ?? loadSigningKey(source, origin));
}

/** The name in a signer key text `PRIVATE+KEY+name+keyid+base64` (names hold no "+"). */
function signerKeyName(keyText: string): string {
  const parsed = parseSignerKey(keyText);
  if (!parsed.ok) throw new Error(`signing key: ${parsed.reason}`);
  return parsed.signer.name;
}
