import { randomBytes } from 'node:crypto';
import type { RandomBytes } from '@declog/core';

/**
 * Random bytes from the system's generator, drawn 64 KiB at a time: a draw of its own costs
 * microseconds, and a batch makes a key and a nonce for each new subject.
 */
export function pooledRandom(poolBytes = 65_536): RandomBytes {
  let pool = Buffer.alloc(0);
  return (size) => {
    if (pool.length < size) pool = randomBytes(Math.max(poolBytes, size));
    const out = new Uint8Array(pool.subarray(0, size));
    // Bytes handed out are not kept: a key must not stay readable in the pool.
    pool.fill(0, 0, size);
    pool = pool.subarray(size);
    return out;
  };
}
