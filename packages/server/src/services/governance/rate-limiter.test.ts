import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('allows a burst of twice the rate, then refills at the rate', () => {
    let now = 0;
    const limiter = createRateLimiter({ readsPerSecond: 5, writesPerSecond: 1 }, () => now);
    const taken = Array.from({ length: 12 }, () => limiter.take('k', 'read'));
    expect(taken.filter((wait) => wait === 0)).toHaveLength(10);
    expect(taken.at(-1)).toBe(1);
    now = 200; // one token back at 5 per second
    expect(limiter.take('k', 'read')).toBe(0);
    expect(limiter.take('k', 'read')).toBeGreaterThan(0);
  });

  it('keeps keys and kinds apart, and a rate of 0 never limits', () => {
    const limiter = createRateLimiter({ readsPerSecond: 1, writesPerSecond: 0 }, () => 0);
    expect([limiter.take('a', 'read'), limiter.take('a', 'read')]).toEqual([0, 0]);
    expect(limiter.take('a', 'read')).toBeGreaterThan(0);
    expect(limiter.take('b', 'read')).toBe(0);
    for (let i = 0; i < 100; i += 1) expect(limiter.take('a', 'write')).toBe(0);
  });
});
