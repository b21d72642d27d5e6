import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from './backoff.js';

const policy = { baseDelayMs: 100, maxDelayMs: 30_000 };

describe('backoffDelay', () => {
  it('draws uniformly below a ceiling that doubles per attempt (full jitter)', () => {
    expect(backoffDelay(1, policy, () => 0.999_999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.999_999)).toBe(199);
    expect(backoffDelay(4, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('never waits longer than maxDelayMs, however many attempts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelay(attempt, policy, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
        },
      ),
    );
    expect(backoffDelay(60, policy, () => 0.999_999)).toBe(29_999);
  });

  it("takes the server's Retry-After as a floor, capped by maxDelayMs", () => {
    expect(backoffDelay(1, policy, () => 0.5, 2_000)).toBe(2_000);
    expect(backoffDelay(9, policy, () => 0.9, 2_000)).toBe(23_040);
    expect(backoffDelay(1, policy, () => 0.5, 120_000)).toBe(30_000);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-07T10:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });
});
