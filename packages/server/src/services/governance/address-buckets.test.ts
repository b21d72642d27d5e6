import { describe, expect, it } from 'vitest';
import { createAddressBuckets } from './address-buckets.js';

describe('createAddressBuckets', () => {
  it('allows a burst of perMinute per address, then one more each 60/perMinute seconds', () => {
    let now = 0;
    const buckets = createAddressBuckets({ perMinute: 3 }, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(buckets.wait('a')).toBe(0);
      buckets.take('a');
    }
    expect(buckets.wait('a')).toBe(20);
    expect(buckets.wait('b'), 'another address').toBe(0);
    now += 19_000;
    expect(buckets.wait('a')).toBe(1);
    now += 1_000;
    expect(buckets.wait('a')).toBe(0);
  });

  it('forgets the address seen longest ago beyond maxAddresses', () => {
    const buckets = createAddressBuckets({ perMinute: 1 }, () => 0, 2);
    buckets.take('a');
    buckets.take('b');
    expect(buckets.wait('a')).toBeGreaterThan(0);
    buckets.take('c'); // b is now the one seen longest ago, and forgotten
    expect(buckets.wait('a')).toBeGreaterThan(0);
    expect(buckets.wait('b')).toBe(0);
  });

  it('limits nothing at 0 a minute', () => {
    const buckets = createAddressBuckets({ perMinute: 0 }, () => 0);
    for (let i = 0; i < 100; i += 1) buckets.take('a');
    expect(buckets.wait('a')).toBe(0);
  });
});
