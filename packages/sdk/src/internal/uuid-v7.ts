const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A generator of UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter
 * that keeps ids made in the same millisecond in order, then 62 random bits. Random bytes come
 * from `crypto.getRandomValues` (every runtime with fetch has it), drawn in blocks.
 *
 * @example const newId = uuidV7Generator(); newId() // '0193a1f2-7c4d-7000-8a1b-…'
 */
export function uuidV7Generator(now: () => number = Date.now): () => string {
  // One draw of random bytes per 4,096 ids keeps the draw out of all but 0.025% of calls.
  const pool = new Uint8Array(8 * 4096);
  let used = pool.length;
  let lastMs = -1;
  let counter = 0;
  return () => {
    let ms = now();
    if (ms <= lastMs) {
      // Same millisecond (or a clock that stepped back): count on from the last id.
      ms = lastMs;
      counter += 1;
      if (counter > 0xfff) {
        ms += 1;
        counter = 0;
      }
    } else counter = 0;
    lastMs = ms;
    if (used === pool.length) {
      crypto.getRandomValues(pool);
      used = 0;
    }
    const r = pool.subarray(used, used + 8);
    used += 8;
    const time = ms.toString(16).padStart(12, '0');
    return (
      `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
      `7${(counter >> 8).toString(16)}${HEX[counter & 0xff] ?? '00'}-` +
      `${HEX[0x80 | ((r[0] ?? 0) & 0x3f)] ?? '80'}${HEX[r[1] ?? 0] ?? '00'}-` +
      `${hex(r, 2, 8)}`
    );
  };
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i += 1) out += HEX[bytes[i] ?? 0] ?? '00';
  return out;
}
