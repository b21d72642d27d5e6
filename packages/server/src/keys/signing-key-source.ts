import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { generateSigner } from '@declog/core';

export interface SigningKeySource {
  /** A file holding the signer key text (`PRIVATE+KEY+…`). */
  readonly file?: string | undefined;
  /** The signer key text itself, e.g. from $DECLOG_SIGNING_KEY. */
  readonly text?: string | undefined;
  /** Where the key is created on first start when neither is given. */
  readonly defaultFile: string;
}

/**
 * The checkpoint signing key's text: given directly, read from a file, or created on first
 * start in `defaultFile` with owner-only permissions (0600) under the key name `name`.
 */
export function loadSigningKey(source: SigningKeySource, name: string): string {
  if (source.text !== undefined && source.text.trim() !== '') return source.text.trim();
  const file = source.file ?? source.defaultFile;
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o077;
    if (mode !== 0) {
      throw new Error(
        `signing key ${file} is readable by others (mode ${mode.toString(8)}); chmod 600 it`,
      );
    }
    return readFileSync(file, 'utf8').trim();
  }
  if (source.file !== undefined) throw new Error(`no signing key file at ${source.file}`);
  const { signerKey } = generateSigner(name);
  writeFileSync(file, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
  return signerKey;
}
