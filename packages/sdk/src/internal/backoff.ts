/** How long to wait before retrying: exponential with full jitter, capped. */
export interface BackoffPolicy {
  /** The first retry waits up to this long, in milliseconds. */
  readonly baseDelayMs: number;
  /** No wait is longer than this, in milliseconds (Retry-After included). */
  readonly maxDelayMs: number;
}

/**
 * The wait before retry number `attempt` (1 for the first retry): a uniformly random time
 * between 0 and `min(max, base · 2^(attempt-1))` ("full jitter"), so that producers that lost
 * the server together do not come back together. A server's `Retry-After` is a floor.
 *
 * @example backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 30_000 }, Math.random) // 0..400
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined) return jittered;
  return Math.min(policy.maxDelayMs, Math.max(retryAfterMs, jittered));
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds or an HTTP date
 * (RFC 9110). Undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
