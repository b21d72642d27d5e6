import type { EventStore } from '@declog/core';
import { rowLeafHash } from '../ledger/log-row.js';
import { rootOf } from '../ledger/tree-reads.js';
import { COPIED_SETTINGS, type LogSnapshot } from './log-snapshot.js';

export type TargetCheck =
  { readonly ok: true; readonly size: number } | { readonly ok: false; readonly reason: string };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Whether `target` may receive a copy of the source described by `source` and `snapshot`: it
 * must be empty, or hold a prefix of the same log (an earlier or interrupted copy), which the
 * copy then continues. Same settings where both have them; the last entry it holds byte for
 * byte the source's, and its root at its size the source's (which covers every entry before);
 * every checkpoint it keeps the source's of that size, or signed over the source's root.
 * Reads only.
 *
 * @returns the target's size, where the copy resumes, or why the target holds another log
 */
export async function checkCopyTarget(
  source: EventStore,
  snapshot: LogSnapshot,
  target: EventStore,
): Promise<TargetCheck> {
  for (const key of COPIED_SETTINGS) {
    const theirs = await target.setting(key);
    const ours = snapshot.settings[key];
    if (theirs !== null && ours !== null && theirs !== ours) {
      return {
        ok: false,
        reason:
          `the target's ${key} is ${theirs}, the source's ${ours}: it belongs to another log ` +
          '(was a server started on it before the copy?)',
      };
    }
  }
  const size = await target.size();
  if (size > snapshot.size) {
    return {
      ok: false,
      reason: `the target holds ${size} entries, more than the source's ${snapshot.size}`,
    };
  }
  if (size > 0) {
    const [theirs, ours] = await Promise.all([
      target.eventBySeq(size - 1),
      source.eventBySeq(size - 1),
    ]);
    if (!theirs || !ours || !same(rowLeafHash(theirs), rowLeafHash(ours))) {
      return {
        ok: false,
        reason: `the target holds ${size} entries, and its seq ${size - 1} differs from the source's`,
      };
    }
    const [theirRoot, ourRoot] = await Promise.all([rootOf(target, size), rootOf(source, size)]);
    if (!same(theirRoot, ourRoot)) {
      return {
        ok: false,
        reason:
          `the target's ${size} entries have the root ${b64(theirRoot)}, ` +
          `the source's first ${size} ${b64(ourRoot)}`,
      };
    }
  }
  const ours = new Map(snapshot.checkpoints.map((checkpoint) => [checkpoint.size, checkpoint]));
  for (const theirs of await target.checkpoints()) {
    const mine = ours.get(theirs.size);
    if (mine && (mine.note !== theirs.note || !same(mine.rootHash, theirs.rootHash))) {
      return {
        ok: false,
        reason: `the target's checkpoint of size ${theirs.size} is not the source's`,
      };
    }
    // One the source lacks (signed on the target after an earlier copy) must sign its entries.
    if (
      !mine &&
      (theirs.size > size || !same(theirs.rootHash, await rootOf(source, theirs.size)))
    ) {
      return {
        ok: false,
        reason: `the target keeps a checkpoint of size ${theirs.size} that does not sign the source's entries`,
      };
    }
  }
  return { ok: true, size };
}
