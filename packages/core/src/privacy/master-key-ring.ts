import { failure, type Failure } from '../ledger/failure.js';
import type { UnwrapFailureCode } from './_key-wrap.js';
import type { MasterKey } from './master-key.js';
import type { MasterKeyRotation } from './master-key-rotation.js';
import { unwrapMasterKey } from './wrapped-master-key.js';

/** The master keys a process works with. */
export interface MasterKeyRing {
  /** New keys are wrapped under each of these: the key in force, or both while a rotation adds one. */
  readonly wrapWith: readonly MasterKey[];
  /** Stored keys open with any of these. */
  readonly openWith: readonly MasterKey[];
}

/** Why a master key was refused for a database. */
export type MasterKeyRingFailureCode =
  'foreign-master-key' | 'retired-master-key' | UnwrapFailureCode;

/** The ring of a database that uses one master key and no rotation is running. */
export function singleKeyRing(key: MasterKey): MasterKeyRing {
  return { wrapWith: [key], openWith: [key] };
}

/**
 * What a process given the master key `given` may do with a database whose key in force is
 * `pinned`, while `rotation` (if any) runs:
 *
 * - no rotation: the pinned key, alone;
 * - stage `add-new`: the old key alone (every stored key still has a wrapping under it), or
 *   the new key, which opens the old one from the rotation record: both then open, and new
 *   keys are wrapped under both, so that a server on either key reads them;
 * - stage `drop-old`: the new key only, still opening what the old one wraps.
 *
 * @example masterKeyRing(loaded, { pinned, rotation: null })
 */
export function masterKeyRing(
  given: MasterKey,
  inForce: { readonly pinned: string; readonly rotation: MasterKeyRotation | null },
): { readonly ok: true; readonly ring: MasterKeyRing } | Failure<MasterKeyRingFailureCode> {
  const { pinned, rotation } = inForce;
  if (rotation === null) {
    return given.id === pinned
      ? { ok: true, ring: singleKeyRing(given) }
      : failure('foreign-master-key', `master key ${given.id} is not this database's (${pinned})`);
  }
  const moving = `a rotation from master key ${rotation.from} to ${rotation.to} is unfinished`;
  if (given.id === rotation.from) {
    return rotation.stage === 'add-new'
      ? { ok: true, ring: singleKeyRing(given) }
      : failure(
          'retired-master-key',
          `master key ${given.id} has been rotated out (${moving}): use master key ${rotation.to}`,
        );
  }
  if (given.id !== rotation.to) {
    return failure(
      'foreign-master-key',
      `master key ${given.id} is not this database's (${moving})`,
    );
  }
  const old = unwrapMasterKey(given, rotation.old_key, rotation.from);
  if (!old.ok) return old;
  return {
    ok: true,
    ring: {
      wrapWith: rotation.stage === 'add-new' ? [given, old.key] : [given],
      openWith: [given, old.key],
    },
  };
}
