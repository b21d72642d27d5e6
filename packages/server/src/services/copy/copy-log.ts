import {
  isPruned,
  leafHashOfText,
  type EventStore,
  type CopiedEntry,
  type StoredCheckpoint,
  type StoredRow,
} from '@declog/core';
import { rootOf } from '../ledger/tree-reads.js';
import { checkCopyTarget } from './check-copy-target.js';
import { COPIED_SETTINGS, logSnapshot } from './log-snapshot.js';
import { sealedEntryOfRow } from './sealed-entry-of-row.js';

export const DEFAULT_COPY_BATCH = 1000;

export interface CopyOptions {
  /** Entries per target transaction (and per source page). */
  readonly batchSize?: number;
  /** Called after each batch with the entries copied so far and the number to copy. */
  readonly onProgress?: (copied: number, total: number) => void;
}

/**
 * Why a copy stopped: the source holds nothing; an entry of the source is damaged (nothing
 * from it on was copied); or the target holds another log (nothing was written).
 */
export type CopyProblemCode = 'empty-source' | 'damaged-source' | 'another-log';

export type CopyReport =
  | {
      readonly ok: true;
      readonly copied: number;
      readonly alreadyThere: number;
      readonly checkpointsCopied: number;
      readonly checkpointsAlreadyThere: number;
      /** The log's size on the target, and its root there. */
      readonly size: number;
      readonly rootHash: Uint8Array;
    }
  | {
      readonly ok: false;
      readonly code: CopyProblemCode;
      readonly reason: string;
      /** Entries copied before the problem. */
      readonly copied: number;
    };

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Copies a whole log from `source` to `target`, as the source held it when the copy began:
 * every entry with its exact bytes (so the same Merkle tree), every kept checkpoint as signed,
 * and the settings checkpoints are verified with (origin, verifier key). The target must be
 * empty or hold a prefix of the same log, from which the copy resumes: an interrupted copy is
 * run again, and a copy of a live log catches up. Each source entry is re-derived from its
 * bytes, must seal back to them and hash to the source's stored leaf hash, so a damaged source
 * is reported at the first bad seq instead of being copied. Written in atomic batches.
 *
 * @example const report = await copyLog(await openReadonlyStore(from), await openStore(to));
 */
export async function copyLog(
  source: EventStore,
  target: EventStore,
  options: CopyOptions = {},
): Promise<CopyReport> {
  const batchSize = options.batchSize ?? DEFAULT_COPY_BATCH;
  const snapshot = await logSnapshot(source);
  const { size, settings, checkpoints } = snapshot;
  if (size === 0 && checkpoints.length === 0 && COPIED_SETTINGS.every((k) => !settings[k])) {
    return { ok: false, code: 'empty-source', reason: 'the source holds no log', copied: 0 };
  }
  const check = await checkCopyTarget(source, snapshot, target);
  if (!check.ok) {
    return {
      ok: false,
      code: 'another-log',
      reason: `the target holds another log: ${check.reason}`,
      copied: 0,
    };
  }
  for (const key of COPIED_SETTINGS) {
    const value = settings[key];
    if (value === null) continue;
    const kept = await target.initSetting(key, value);
    if (kept !== value) throw new Error(`the target's ${key} changed during the copy to ${kept}`);
  }

  const alreadyThere = check.size;
  const total = size - alreadyThere;
  let next = alreadyThere;
  while (next < size) {
    const rows = await source.scan(next, Math.min(batchSize, size - next));
    const leafHashes = await source.merkleNodes(rows.map((row) => ({ level: 0, index: row.seq })));
    // The sealed records kept beside the batch's decisions, which go over with them.
    const personal = await source.personalData(
      rows.flatMap((row) => (isPruned(row) || row.type !== 'decision' ? [] : [idOf(row)])),
    );
    const entries: CopiedEntry[] = [];
    for (const [i, row] of rows.entries()) {
      const seq = next + i;
      const damaged = (reason: string): CopyReport => ({
        ok: false,
        code: 'damaged-source',
        reason: `seq ${seq}: ${reason}`,
        // Nothing of this batch is written: only the batches before it are on the target.
        copied: next - alreadyThere,
      });
      if (row.seq !== seq) return damaged(`missing from the source (the next entry is ${row.seq})`);
      if (isPruned(row)) {
        // Pruned by retention: its mark goes over as it is, its leaf hash must be the tree's.
        if (!same(row.pruned.leafHash, leafHashes[i] as Uint8Array)) {
          return damaged("the pruned entry's leaf hash is not the stored leaf hash");
        }
        entries.push(row);
        continue;
      }
      const derived = sealedEntryOfRow(row, personal.get(idOf(row)));
      if (!derived.ok) return damaged(derived.reason);
      if (!same(leafHashOfText(row.json), leafHashes[i] as Uint8Array)) {
        return damaged('the stored event no longer hashes to its stored leaf hash');
      }
      entries.push(derived.entry);
    }
    if (entries.length === 0) {
      return {
        ok: false,
        code: 'damaged-source',
        reason: `seq ${next}: missing from the source (its log ends before its size ${size})`,
        copied: next - alreadyThere,
      };
    }
    // Written only when the whole page is sound: the target never holds a damaged batch.
    await target.appendSealed(entries);
    next += entries.length;
    options.onProgress?.(next - alreadyThere, total);
  }

  const rootHash = await rootOf(target, size);
  const sourceRoot = await rootOf(source, size);
  if (!same(rootHash, sourceRoot)) {
    return {
      ok: false,
      code: 'damaged-source',
      reason:
        `the source's stored tree disagrees with its entries: its root at size ${size} is ` +
        `${b64(sourceRoot)}, the root of its entries ${b64(rootHash)}`,
      copied: total,
    };
  }

  let checkpointsCopied = 0;
  for (const checkpoint of checkpoints) {
    if (await target.addCheckpoint(checkpoint)) checkpointsCopied += 1;
    else await expectSameCheckpoint(target, checkpoint);
  }
  return {
    ok: true,
    copied: total,
    alreadyThere,
    checkpointsCopied,
    checkpointsAlreadyThere: checkpoints.length - checkpointsCopied,
    size,
    rootHash,
  };
}

/** The id a stored row's event claims ('' when it has none: the row is then reported damaged). */
function idOf(row: StoredRow): string {
  try {
    const id = (JSON.parse(row.json) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}

/** A checkpoint of that size kept on the target meanwhile must be the source's. */
async function expectSameCheckpoint(target: EventStore, checkpoint: StoredCheckpoint) {
  const kept = await target.checkpointAt(checkpoint.size);
  if (kept?.note !== checkpoint.note) {
    throw new Error(
      `the target kept another checkpoint of size ${checkpoint.size} during the copy`,
    );
  }
}
