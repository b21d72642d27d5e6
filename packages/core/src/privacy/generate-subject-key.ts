import { KEY_BYTES, draw, systemRandom, type RandomBytes } from './_aes-gcm.js';

/** A fresh AES-256 key for one (tenant, subject): 32 random bytes. */
export function generateSubjectKey(random: RandomBytes = systemRandom): Uint8Array {
  return draw(random, KEY_BYTES);
}
