/** Requests per second allowed per key, with bursts of twice that; 0 turns a limit off. */
export interface RateLimits {
  readonly readsPerSecond: number;
  readonly writesPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { readsPerSecond: 1000, writesPerSecond: 1000 };

export type RequestKind = 'read' | 'write';

export interface RateLimiter {
  /** Takes one request from the key's bucket: 0 when allowed, else seconds to wait. */
  take(keyId: string, kind: RequestKind): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per key and kind, refilled continuously; `nowMs` is the clock. */
export function createRateLimiter(limits: RateLimits, nowMs: () => number): RateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    take(keyId, kind) {
      const rate = kind === 'read' ? limits.readsPerSecond : limits.writesPerSecond;
      if (rate <= 0) return 0;
      const burst = rate * 2;
      const id = `${kind}:${keyId}`;
      const now = nowMs();
      const bucket = buckets.get(id) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
      buckets.set(id, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / rate);
    },
  };
}
