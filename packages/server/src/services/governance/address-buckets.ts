/** How many events an address may cause per minute, in bursts of as many. */
export interface PerMinute {
  readonly perMinute: number;
}

/**
 * Token buckets per client address, refilled continuously at `perMinute` (bursts of as many);
 * at most `maxAddresses` are kept, the least recently seen forgotten first, so that a flood from
 * many addresses cannot grow memory without bound.
 */
export interface AddressBuckets {
  /** Seconds until the address has a token again: 0 when it has one now. */
  wait(address: string): number;
  /** Takes a token (below zero is allowed: debt delays the next one). */
  take(address: string): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createAddressBuckets(
  limits: PerMinute,
  nowMs: () => number,
  maxAddresses = 10_000,
): AddressBuckets {
  const buckets = new Map<string, Bucket>();
  const perMs = limits.perMinute / 60_000;
  const refreshed = (address: string): Bucket => {
    const now = nowMs();
    const bucket = buckets.get(address) ?? { tokens: limits.perMinute, at: now };
    bucket.tokens = Math.min(limits.perMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    // Re-inserted: the map's order is then the order in which addresses were last seen.
    buckets.delete(address);
    buckets.set(address, bucket);
    if (buckets.size > maxAddresses) {
      const oldest = buckets.keys().next().value;
      if (oldest !== undefined) buckets.delete(oldest);
    }
    return bucket;
  };
  return {
    wait(address) {
      if (limits.perMinute <= 0) return 0;
      const bucket = refreshed(address);
      return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / perMs / 1000);
    },
    take(address) {
      if (limits.perMinute <= 0) return;
      refreshed(address).tokens -= 1;
    },
  };
}
