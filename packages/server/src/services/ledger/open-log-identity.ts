import { randomBytes } from 'node:crypto';
import { generateSigner, parseSignerKey, type EventStore } from '@declog/core';
import type { LogIdentity } from './log-identity.js';

/** A stable origin for a new log: unique per database, fixed at its first start. */
export function newOrigin(): string {
  return `declog.local/log/${randomBytes(8).toString('hex')}`;
}

/**
 * The log's origin (set once, on first start) and pinned verifier key. A signing key that
 * is not the one the log was started with is refused: its checkpoints would not verify.
 */
export async function openLogIdentity(
  store: EventStore,
  origin: string,
  signerKeyText: string,
): Promise<LogIdentity> {
  const logOrigin = await store.initSetting('origin', origin);
  if (logOrigin !== origin) {
    throw new Error(`this log's origin is ${logOrigin}; it cannot be changed to ${origin}`);
  }
  const parsed = parseSignerKey(signerKeyText);
  if (!parsed.ok) throw new Error(`signing key: ${parsed.reason}`);
  const verifierKey = verifierKeyOf(signerKeyText);
  const pinned = await store.initSetting('verifier_key', verifierKey);
  if (pinned !== verifierKey) {
    throw new Error(`signing key ${verifierKey} is not this log's key ${pinned}`);
  }
  return { origin: logOrigin, signer: parsed.signer, verifierKey };
}

/** The verifier key text of a signer key text. */
function verifierKeyOf(signerKeyText: string): string {
  // PRIVATE+KEY+name+keyid+base64: base64 may itself contain "+", so split only twice.
  const rest = signerKeyText.slice('PRIVATE+KEY+'.length);
  const nameEnd = rest.indexOf('+');
  const idEnd = rest.indexOf('+', nameEnd + 1);
  const seed = Buffer.from(rest.slice(idEnd + 1), 'base64').subarray(1);
  return generateSigner(rest.slice(0, nameEnd), { seed }).verifierKey;
}
