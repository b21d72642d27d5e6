import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TENANT } from '@declog/core';
import type { TenantLogKind } from './open-tenant-log.js';
import {
  parseVerifiedLog,
  verifiedLogJson,
  type VerifiedLog,
} from '../services/ledger/verified-log.js';

export const DEFAULT_STATE_FILE = '.declog-verify.json';
/** Access trails are remembered apart, so that a trail and a decision log never mix. */
export const DEFAULT_ACCESS_STATE_FILE = '.declog-verify-access.json';
const FORMAT = 'declog-verify-state/v1';

/** The key a server is remembered under: its URL without trailing slashes. */
export function stateKey(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The key a database's log is remembered under: the file's absolute path, or the PostgreSQL
 * URL without its credentials, then the tenant (unless the default one) and, for an access
 * trail, `#access-log`, so that no two logs share an entry.
 */
export function databaseStateKey(location: string, tenant: string, kind: TenantLogKind): string {
  let key: string;
  if (/^postgres(ql)?:\/\//.test(location)) {
    const url = new URL(location);
    url.username = '';
    url.password = '';
    url.searchParams.delete('password');
    key = url.href;
  } else key = path.resolve(location);
  if (tenant !== DEFAULT_TENANT) key += `#tenant=${tenant}`;
  return kind === 'access' ? `${key}#access-log` : key;
}

/**
 * What an earlier `declog verify` verified for `url`, or null if nothing. A file that is
 * there but damaged is an error, not a fresh start: starting over would forget the pins.
 */
export function readVerifyState(file: string, url: string): VerifiedLog | null {
  const logs = readLogs(file);
  const entry = logs[stateKey(url)];
  if (entry === undefined) return null;
  const parsed = parseVerifiedLog(entry);
  if (!parsed.ok) throw new Error(`state file ${file}, entry ${stateKey(url)}: ${parsed.reason}`);
  return parsed.log;
}

/** Records the checkpoint just verified for `url` (a server, or a database's key), keeping other servers' entries. */
export function writeVerifyState(file: string, url: string, log: VerifiedLog, at: Date): void {
  const logs = { ...readLogs(file) };
  logs[stateKey(url)] = { ...verifiedLogJson(log), verified_at: at.toISOString() };
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ format: FORMAT, logs }, null, 2)}\n`);
  // A rename is atomic: a crash leaves the old state or the new one, never half of each.
  renameSync(temp, file);
}

function readLogs(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let state: { format?: unknown; logs?: unknown };
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
  } catch {
    throw new Error(`state file ${file} is not JSON; move it away to start over`);
  }
  if (state?.format !== FORMAT || typeof state.logs !== 'object' || state.logs === null) {
    throw new Error(`state file ${file} is not a ${FORMAT} file`);
  }
  return state.logs as Record<string, unknown>;
}
