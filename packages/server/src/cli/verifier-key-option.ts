import { existsSync, readFileSync } from 'node:fs';
import { parseVerifierKey } from '@declog/core';

/**
 * The verifier key text a `--verifier-key` flag names: the key itself (`name+keyid+base64`) or
 * a file holding it. A value that is neither is refused here, before anything is read from a
 * log, naming `flag` (the flag given).
 */
export function readVerifierKey(value: string, flag = '--verifier-key'): string {
  const given = value.trim();
  const parsed = parseVerifierKey(given);
  if (parsed.ok) return given;
  if (!existsSync(given)) {
    // An API key here means the flag was taken for the API key, as in every other command.
    const apiKey = given.startsWith('dlk_')
      ? ": this is an API key (verify sends $DECLOG_API_KEY to a server); give the log's verifier key, what GET /v1/log/key answers"
      : '';
    throw new Error(`${flag}: not a verifier key (${parsed.reason}) and not a file${apiKey}`);
  }
  const text = readFileSync(given, 'utf8').trim();
  const fromFile = parseVerifierKey(text);
  if (!fromFile.ok) throw new Error(`${flag}: ${given} holds no verifier key: ${fromFile.reason}`);
  return text;
}
