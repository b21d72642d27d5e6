import { z } from 'zod';
import { systemRandom, type RandomBytes } from './_aes-gcm.js';
import type { MasterKey } from './master-key.js';
import { wrapMasterKey } from './wrapped-master-key.js';
import { WrappedKey } from './wrapped-key.js';

const MasterKeyIdText = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits');

/**
 * A master key rotation that has begun and not finished, as the database keeps it.
 *
 * - `add-new`: every stored key gets a second wrapping, under `to`, beside the one under
 *   `from`; either key opens everything, so servers may run with either.
 * - `drop-old`: every stored key has a wrapping under `to`, which is now the key in force;
 *   the wrappings under `from` are being dropped, and `from` is refused.
 *
 * `old_key` is `from` wrapped under `to`, so that whoever holds the new key can open what
 * the old one still wraps. It goes when the rotation ends.
 */
export const MasterKeyRotation = z
  .strictObject({
    from: MasterKeyIdText,
    to: MasterKeyIdText,
    stage: z.enum(['add-new', 'drop-old']),
    old_key: WrappedKey,
  })
  .refine((r) => r.from !== r.to && r.old_key.master_key_id === r.to, {
    message: 'must move between two keys, with the old key wrapped by the new one',
  });

export type MasterKeyRotation = Readonly<z.infer<typeof MasterKeyRotation>>;

/** The first stage of a rotation from `from` to `to`. */
export function startMasterKeyRotation(
  from: MasterKey,
  to: MasterKey,
  random: RandomBytes = systemRandom,
): MasterKeyRotation {
  if (from.id === to.id) throw new RangeError('a rotation needs a new master key');
  return { from: from.id, to: to.id, stage: 'add-new', old_key: wrapMasterKey(to, from, random) };
}
