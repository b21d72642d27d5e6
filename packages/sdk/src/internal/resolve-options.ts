import { LIMITS, MIN_PSEUDONYM_KEY_BYTES, parseMaskingPolicy } from '@declog/core/contract';
import { DecisionLogError, type DecisionLogIssue } from '../decision-log-error.js';
import type { DecisionLogOptions } from '../decision-log-options.js';

/** Every option with its default applied; checked once, at creation. */
export interface ResolvedOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly tenant: string | undefined;
  /** Embedded mode's database file; the HTTP transport without it. */
  readonly db: string | undefined;
  readonly masterKey: string | undefined;
  readonly masterKeyFile: string | undefined;
  readonly spoolDir: string | undefined;
  readonly spoolMaxBytes: number;
  readonly spoolSegmentBytes: number;
  readonly spoolMode: 'overflow' | 'always';
  readonly deadLetterFile: string | undefined;
  readonly maxBatchEvents: number;
  readonly maxBatchBytes: number;
  readonly flushIntervalMs: number;
  readonly maxQueueEvents: number;
  readonly maxQueueBytes: number;
  readonly overflow: 'spool' | 'drop' | 'block';
  readonly maxInFlight: number;
  readonly requestTimeoutMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly closeTimeoutMs: number;
}

const MiB = 1024 * 1024;

/**
 * @throws DecisionLogError `invalid_options` naming every bad option; `embedded_unavailable`
 * for `db` where there is no Node.
 */
export function resolveOptions(options: DecisionLogOptions, node: boolean): ResolvedOptions {
  const issues: DecisionLogIssue[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  const db = options.db;
  if (db !== undefined) {
    if (!node) {
      throw new DecisionLogError(
        'embedded_unavailable',
        'embedded mode (createDecisionLog({ db })) needs Node (and the declog package): elsewhere, pass the url of a declog server and an apiKey',
      );
    }
    if (typeof db !== 'string' || db === '') bad('db', 'must be a database file path');
    if (options.url !== undefined) bad('url', 'goes with apiKey instead of db, not beside it');
    if (options.apiKey !== undefined) bad('apiKey', 'is for a server (url), not for db');
  } else {
    if (typeof options.url !== 'string' || !/^https?:\/\/[^/]/.test(options.url)) {
      bad('url', 'must be an http:// or https:// URL, e.g. http://127.0.0.1:7300 (or give db)');
    } else if (!URL.canParse(options.url)) bad('url', 'is not a valid URL');
    if (typeof options.apiKey !== 'string' || options.apiKey.length === 0) {
      bad('apiKey', 'is required (an API key with the producer role)');
    }
    if (options.masterKey !== undefined) bad('masterKey', 'is for embedded mode (db) only');
    if (options.masterKeyFile !== undefined) bad('masterKeyFile', 'is for embedded mode (db) only');
  }
  for (const name of ['masterKey', 'masterKeyFile'] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      bad(name, 'must be a non-empty string');
    }
  }
  if (
    options.tenant !== undefined &&
    (typeof options.tenant !== 'string' || options.tenant === '')
  ) {
    bad('tenant', 'must be a non-empty string');
  }
  const count = (name: keyof DecisionLogOptions, fallback: number, min: number, max: number) => {
    const value = options[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      bad(name, `must be an integer from ${min} to ${max}`);
    }
    return value as number;
  };
  const spoolDir = options.spoolDir;
  if (spoolDir !== undefined && (typeof spoolDir !== 'string' || spoolDir === '')) {
    bad('spoolDir', 'must be a folder path');
  }
  const overflow = options.overflow ?? (spoolDir === undefined ? 'block' : 'spool');
  if (!['spool', 'drop', 'block'].includes(overflow))
    bad('overflow', 'must be spool, drop or block');
  if (overflow === 'spool' && spoolDir === undefined) bad('overflow', "'spool' needs a spoolDir");
  const spoolMode = options.spoolMode ?? 'overflow';
  if (spoolMode !== 'overflow' && spoolMode !== 'always')
    bad('spoolMode', 'must be overflow or always');
  if (spoolMode === 'always' && spoolDir === undefined)
    bad('spoolMode', "'always' needs a spoolDir");
  const masking = options.masking;
  if (masking !== undefined) {
    const parsed = parseMaskingPolicy(masking.policy);
    if (!parsed.ok) for (const i of parsed.issues) bad(`masking.policy.${i.path}`, i.message);
    else if (
      masking.policy.rules.some((r) => r.action === 'pseudonymize') &&
      !(
        masking.pseudonymKey instanceof Uint8Array &&
        masking.pseudonymKey.length >= MIN_PSEUDONYM_KEY_BYTES
      )
    ) {
      bad(
        'masking.pseudonymKey',
        `must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes when a rule pseudonymizes`,
      );
    }
  }
  const resolved: ResolvedOptions = {
    url: options.url ?? '',
    apiKey: options.apiKey ?? '',
    tenant: options.tenant,
    db,
    masterKey: options.masterKey,
    masterKeyFile: options.masterKeyFile,
    spoolDir,
    spoolMaxBytes: count('spoolMaxBytes', 1024 * MiB, 1024, Number.MAX_SAFE_INTEGER),
    spoolSegmentBytes: count('spoolSegmentBytes', 8 * MiB, 1024, 2 ** 31),
    spoolMode,
    deadLetterFile: options.deadLetterFile,
    maxBatchEvents: count('maxBatchEvents', 500, 1, LIMITS.maxEventsPerRequest),
    maxBatchBytes: count('maxBatchBytes', MiB, LIMITS.maxEventBytes + 1, LIMITS.maxRequestBytes),
    flushIntervalMs: count('flushIntervalMs', 200, 0, 3_600_000),
    maxQueueEvents: count('maxQueueEvents', 10_000, 1, Number.MAX_SAFE_INTEGER),
    maxQueueBytes: count('maxQueueBytes', 16 * MiB, 1024, Number.MAX_SAFE_INTEGER),
    overflow,
    maxInFlight: count('maxInFlight', 2, 1, 16),
    requestTimeoutMs: count('requestTimeoutMs', 10_000, 1, 3_600_000),
    retryBaseDelayMs: count('retryBaseDelayMs', 100, 1, 3_600_000),
    retryMaxDelayMs: count('retryMaxDelayMs', 30_000, 1, 3_600_000),
    closeTimeoutMs: count('closeTimeoutMs', 10_000, 0, 3_600_000),
  };
  if (issues.length > 0) {
    throw new DecisionLogError(
      'invalid_options',
      `invalid createDecisionLog options: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  return resolved;
}
