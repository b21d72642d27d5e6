import { existsSync, readFileSync } from 'node:fs';
import { parseVerifierKey } from '@declog/core';

/**
 * The verifier key text a `--key` flag names: the key itself (`name+keyid+base64`) or a file
 * holding it. A value that is neither is refused here, before anything is read from a log.
 */
export function readVerifierKey(value: string): string {
  const given = value.trim();
  const parsed = parseVerifierKey(given);
  if (parsed.ok) return given;
  if (!existsSync(given)) {
    throw new Error(`--key: not a verifier key (${parsed.reason}) and not a file`);
  }
  const text = readFileSync(given, 'utf8').trim();
  const fromFile = parseVerifierKey(text);
  if (!fromFile.ok) throw new Error(`--key: ${given} holds no verifier key: ${fromFile.reason}`);
  return text;
}
