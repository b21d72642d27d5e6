import { existsSync } from 'node:fs';
import { readOrCreateSecretFile } from './secret-file.js';
import { generateSigner } from '@declog/core';

export interface SigningKeySource {
  /** A file holding the signer key text (`PRIVATE+KEY+…`). */
  readonly file?: string | undefined;
  /** The signer key text itself, e.g. from $DECLOG_SIGNING_KEY. */
  readonly text?: string | undefined;
  /** Where the key is created on first start when neither is given. */
  readonly defaultFile: string;
  /**
   * Whether a missing `defaultFile` may be created: false once the log has a key, since a
   * fresh key could never sign for it (and would be left behind as a decoy).
   */
  readonly mayCreate?: boolean;
}

/**
 * The checkpoint signing key's text: read from `file` if given, else given directly, else read
 * from `defaultFile`, or created there on first start with owner-only permissions (0600) under
 * the key name `name`. An explicit file wins over the text, as a flag wins over the environment.
 */
export function loadSigningKey(source: SigningKeySource, name: string): string {
  if (source.file === undefined && source.text !== undefined && source.text.trim() !== '') {
    return source.text.trim();
  }
  const file = source.file ?? source.defaultFile;
  if (!existsSync(file)) {
    if (source.file !== undefined) throw new Error(`no signing key file at ${source.file}`);
    if (source.mayCreate === false) {
      throw new Error(
        `no signing key at ${file}, and this log already has one: pass --signing-key FILE or set $DECLOG_SIGNING_KEY`,
      );
    }
  }
  return readOrCreateSecretFile(file, 'signing key', () => generateSigner(name).signerKey);
}
