import {
  prepareSecurityEntry,
  type EventStore,
  type SecurityEntry,
  type SecurityRefusal,
} from '@declog/core';
import { isDeclogError } from '../../errors.js';
import { createAddressBuckets } from './address-buckets.js';

/** A refused request, as the HTTP layer knows it. */
export interface Refusal {
  readonly refusal: SecurityRefusal;
  readonly status: number;
  readonly message: string;
  readonly method: string;
  readonly route: string | null;
  readonly address: string;
  readonly keyId?: string;
  readonly tenant?: string;
}

/** How many refusals are recorded one by one, per address and in all, per minute. */
export interface SecurityTrailLimits {
  readonly perAddressPerMinute: number;
  readonly perMinute: number;
}

export const DEFAULT_SECURITY_TRAIL_LIMITS: SecurityTrailLimits = {
  perAddressPerMinute: 10,
  perMinute: 60,
};

/** Addresses whose unrecorded refusals are counted at once; the rest are counted together. */
const MAX_COUNTED_ADDRESSES = 10_000;

export interface SecurityTrail {
  /**
   * Records a refusal (resolved once stored, or once storing failed: a refusal is answered
   * even while the store is down), or counts it when over the limits (resolved at once).
   */
  refused(refusal: Refusal): Promise<void>;
  /**
   * Records what was counted but not recorded, one `suppressed` entry per address (within the
   * limit in all; the rest stay counted), and waits for every entry to be stored.
   */
  flush(): Promise<void>;
}

export interface SecurityTrailDeps {
  /** The security trail's log, opened on first use. */
  readonly store: () => Promise<EventStore>;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly limits?: SecurityTrailLimits;
  /** Failures to store, other than an unavailable store (an outage is reported elsewhere). */
  readonly logError: (error: unknown) => void;
}

/**
 * The server's security trail: refusals of requests that never reached a tenant's access
 * trail (no valid key, another tenant's data, too many failed authentications from one
 * address). Each address may have `perAddressPerMinute` recorded one by one and all addresses
 * together `perMinute`; beyond that they are counted, and the counts recorded by `flush`.
 */
export function createSecurityTrail(deps: SecurityTrailDeps): SecurityTrail {
  const limits = deps.limits ?? DEFAULT_SECURITY_TRAIL_LIMITS;
  const nowMs = () => deps.now().getTime();
  const perAddress = createAddressBuckets({ perMinute: limits.perAddressPerMinute }, nowMs);
  const overall = createAddressBuckets({ perMinute: limits.perMinute }, nowMs, 1);
  const counted = new Map<string, Partial<Record<SecurityRefusal, number>>>();
  /** Counts of addresses forgotten to keep `counted` bounded. */
  let uncounted: Partial<Record<SecurityRefusal, number>> = {};
  let queue: { readonly entry: SecurityEntry; readonly stored: () => void }[] = [];
  let writing: Promise<void> = Promise.resolve();

  const allowed = (address: string) => {
    if (overall.wait('') > 0 || perAddress.wait(address) > 0) return false;
    overall.take('');
    perAddress.take(address);
    return true;
  };
  const write = () => {
    writing = writing.then(async () => {
      const batch = queue;
      queue = [];
      if (batch.length === 0) return;
      try {
        const store = await deps.store();
        const at = deps.now().toISOString();
        await store.append(
          batch.map(({ entry }) => prepareSecurityEntry(entry, deps.newId())),
          at,
          { durability: 'written' },
        );
      } catch (error) {
        if (!isDeclogError(error) || error.code !== 'store_unavailable') deps.logError(error);
      } finally {
        for (const { stored } of batch) stored();
      }
    });
  };
  const enqueue = (entry: SecurityEntry) =>
    new Promise<void>((stored) => {
      queue.push({ entry, stored });
      // Refusals of one turn of the event loop are stored together.
      if (queue.length === 1) setImmediate(write);
    });
  const count = (refusal: Refusal) => {
    const counts = counted.get(refusal.address) ?? {};
    counts[refusal.refusal] = (counts[refusal.refusal] ?? 0) + 1;
    counted.delete(refusal.address);
    counted.set(refusal.address, counts);
    if (counted.size > MAX_COUNTED_ADDRESSES) {
      const [oldest, its] = counted.entries().next().value ?? [];
      if (oldest !== undefined && its) {
        counted.delete(oldest);
        uncounted = addCounts(uncounted, its);
      }
    }
  };

  return {
    async refused(refusal) {
      if (!allowed(refusal.address)) return count(refusal);
      return enqueue({
        occurred_at: deps.now().toISOString(),
        refusal: refusal.refusal,
        status: refusal.status,
        message: refusal.message,
        method: refusal.method,
        ...(refusal.route !== null ? { route: refusal.route } : {}),
        client: { address: refusal.address },
        ...(refusal.keyId !== undefined ? { key_id: refusal.keyId } : {}),
        ...(refusal.tenant !== undefined ? { tenant: refusal.tenant } : {}),
      });
    },
    async flush() {
      const summaries: [string, Partial<Record<SecurityRefusal, number>>][] = [
        ...counted.entries(),
      ];
      if (Object.keys(uncounted).length > 0) summaries.push(['', uncounted]);
      for (const [address, counts] of summaries) {
        if (overall.wait('') > 0) break;
        overall.take('');
        if (address === '') uncounted = {};
        else counted.delete(address);
        void enqueue({
          occurred_at: deps.now().toISOString(),
          refusal: 'suppressed',
          ...(address !== '' ? { client: { address } } : {}),
          counts,
        });
      }
      write();
      await writing;
    },
  };
}

function addCounts(
  a: Partial<Record<SecurityRefusal, number>>,
  b: Partial<Record<SecurityRefusal, number>>,
): Partial<Record<SecurityRefusal, number>> {
  const sum = { ...a };
  for (const [kind, n] of Object.entries(b) as [SecurityRefusal, number][]) {
    sum[kind] = (sum[kind] ?? 0) + n;
  }
  return sum;
}
