/**
 * What one client may hold of the server: how long its requests may take to arrive, how long
 * an idle connection stays open, how many connections are open at once, and how many failed
 * authentications an address may make. docs/security.md explains each.
 */
export interface HttpLimits {
  /** Time to receive a request's headers, from the connection or the previous request (ms). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body (ms). */
  readonly requestTimeoutMs: number;
  /** How long a keep-alive connection may wait idle for its next request (ms). */
  readonly idleTimeoutMs: number;
  /** Connections open at once; more are closed as they arrive. */
  readonly maxConnections: number;
  /** Failed authentications per minute per client address, in bursts of as many; 0: no limit. */
  readonly authFailuresPerMinute: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 5_000,
  maxConnections: 500,
  authFailuresPerMinute: 10,
};

/**
 * How often Node looks for requests past their headers or request timeout: a tenth of the
 * shorter one, within 50 ms to 1 s (Node's default, 30 s, would let a timeout run 30 s late).
 */
export function timeoutCheckIntervalMs(limits: HttpLimits): number {
  const shorter = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return Math.max(50, Math.min(1000, Math.floor(shorter / 10)));
}
