import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseMasterKey, type MasterKey } from '@declog/core';
import { readOrCreateSecretFile } from './secret-file.js';

export interface MasterKeySource {
  /** A file holding the master key (64 hex characters or base64 of 32 bytes). */
  readonly file?: string | undefined;
  /** The key text itself, e.g. from $DECLOG_MASTER_KEY. */
  readonly text?: string | undefined;
  /** Where the key is created on first start when neither is given. */
  readonly defaultFile: string;
  /** Whether a missing `defaultFile` may be created: false once subject keys exist. */
  readonly mayCreate: boolean;
}

/**
 * The master key that wraps subject keys: from `file`, else `text`, else `defaultFile`,
 * created there (0600) on first start. Losing it loses every subject's personal data, as an
 * erasure would: back it up apart from the database.
 */
export function loadMasterKey(source: MasterKeySource): MasterKey {
  let text: string;
  if (source.file === undefined && source.text !== undefined && source.text.trim() !== '') {
    text = source.text;
  } else {
    const file = source.file ?? source.defaultFile;
    if (!existsSync(file) && source.file === undefined && !source.mayCreate) {
      throw new Error(
        `no master key at ${file}, and this database already holds subject keys wrapped by one: ` +
          'pass --master-key FILE or set $DECLOG_MASTER_KEY',
      );
    }
    text = readOrCreateSecretFile(
      file,
      'master key',
      source.file === undefined ? () => randomBytes(32).toString('hex') : null,
    );
  }
  const parsed = parseMasterKey(text);
  if (!parsed.ok) throw new Error(`master key: ${parsed.reason}`);
  return parsed.key;
}

/** A master key from a file that must exist (mode 0600), such as the new key of a rotation. */
export function readMasterKeyFile(file: string, what = 'master key'): MasterKey {
  const parsed = parseMasterKey(readOrCreateSecretFile(file, what, null));
  if (!parsed.ok) throw new Error(`${what} ${file}: ${parsed.reason}`);
  return parsed.key;
}
