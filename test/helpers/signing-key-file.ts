import { writeFileSync } from 'node:fs';
import { generateSigner } from '@declog/core';

/**
 * Writes a new checkpoint signing key to `file` (mode 0600), as an operator hands one key to
 * every server of a log; returns the verifier key that auditors pin.
 */
export function writeSigningKey(file: string, name: string): string {
  const { signerKey, verifierKey } = generateSigner(name);
  writeFileSync(file, `${signerKey}\n`, { mode: 0o600 });
  return verifierKey;
}
