import {
  INDEX_SET_KINDS,
  addFingerprints,
  EMPTY_FRONTIER,
  EMPTY_ROOT,
  appendLeaves,
  subtreeNodes,
  frontierRoot,
  parseVerifierKey,
  type EventStore,
  type Frontier,
  type PinnedLog,
  type StoredCheckpoint,
} from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { checkStoredCheckpoint, type CheckpointProblemCode } from './check-stored-checkpoint.js';
import { type StoredRowProblemCode } from './check-stored-row.js';
import { checkRowsOf, type CheckRows, type CheckedRows } from './check-rows.js';
import type { IndexAudit } from './check-index.js';
import {
  narrowSetMismatch,
  storedIndexTotals,
  strayRecordProblem,
  type IndexTotals,
} from './index-totals.js';
import { compareStoredNode, type NodeProblemCode } from './compare-stored-node.js';
import { firstNodeMismatch } from './_first-node-mismatch.js';
import { readStoredNodes } from './_read-stored-nodes.js';
import { checkRemembered, type RememberedProblemCode } from './check-remembered.js';
import type { VerifiedLog } from './verified-log.js';

export type LogProblemCode =
  | 'malformed-key'
  | 'no-verifier-key'
  | StoredRowProblemCode
  | NodeProblemCode
  | CheckpointProblemCode
  | RememberedProblemCode
  | 'log-truncated';

export interface VerifyLogOptions {
  /** Verifier key text to check signatures with; default: the log's pinned `verifier_key`. */
  readonly verifierKey?: string;
  /** The origin every checkpoint must name; default: the log's `origin`, else the key's name. */
  readonly origin?: string;
  /** Entries read per store call; memory is bounded by a few pages, not by the log. */
  readonly pageSize?: number;
  /**
   * Reads a page of stored rows and their stored leaf hashes and checks them; default: from
   * `store`, on this thread.
   */
  readonly checkRows?: CheckRows;
  /**
   * The checkpoint an earlier run verified (from a state file): the log must still hold it
   * and extend it, and its key and origin are pinned unless others are given.
   */
  readonly previous?: VerifiedLog | null;
  /**
   * Also compares what the store keeps beside the log (index rows and columns, full-text rows,
   * sealed records) with what the leaves call for; `checkRows`, if given, must check rows with
   * the same audit.
   */
  readonly index?: {
    readonly audit: IndexAudit;
    /** The stored side of the log-wide comparisons; default: read on this thread. */
    readonly totals?: (size: number) => Promise<IndexTotals>;
  };
}

/** What an index audit covered, when one ran. */
export interface IndexVerification {
  /** Sealed records checked beside their events. */
  readonly sealed: number;
  /** Whether they were opened against their leaves' commitments (with the master key). */
  readonly opened: boolean;
}

/**
 * Where the key came from: the caller (out of band), the earlier run remembered in a state
 * file, or the log's own settings.
 */
export type KeySource = 'given' | 'remembered' | 'log';

export type LogVerification =
  | {
      readonly ok: true;
      readonly size: number;
      /** Entries pruned by retention: their leaf hashes were checked, their events are gone. */
      readonly pruned: number;
      readonly rootHash: Uint8Array;
      readonly checkpoints: number;
      readonly latestCheckpointSize: number | null;
      readonly origin: string | null;
      readonly keySource: KeySource | null;
      /** The latest checkpoint verified, to remember for the next run; null if none. */
      readonly verified: VerifiedLog | null;
      /** The size of the checkpoint remembered from an earlier run, when one was given. */
      readonly previousSize: number | null;
      /** What the index audit covered; null when none ran. */
      readonly index: IndexVerification | null;
    }
  | {
      readonly ok: false;
      readonly problem: AuditProblem<LogProblemCode>;
      readonly entriesChecked: number;
      readonly checkpoints: number;
      readonly keySource: KeySource | null;
    };

export const DEFAULT_VERIFY_PAGE = 5000;

/** Pages asked for before the one being added to the tree is done with. */
const PAGES_AHEAD = 3;

/**
 * Audits a whole stored log in one streaming pass (O(n) time, memory bounded by a few
 * pages): every leaf is recomputed from its stored event and compared with its stored leaf
 * hash (by `checkRows`, possibly on other threads), the tree is rebuilt from those leaves in
 * log order, the stored nodes its root is made of are compared at the end of every page, and
 * every stored checkpoint must carry a valid signature and the rebuilt root at its size,
 * which also makes each checkpoint consistent with the next. A mismatch is narrowed down to
 * the lowest stored node that disagrees. Problems are reported in log order; the first one
 * ends the run.
 */
export async function verifyLog(
  store: EventStore,
  options: VerifyLogOptions = {},
): Promise<LogVerification> {
  // Checkpoints before the size: one issued in between is then never beyond the entries read.
  const checkpoints = await store.checkpoints();
  const size = await store.size();
  const previous = options.previous ?? null;
  const pins = await pinnedLog(store, options);
  const keySource = pins.ok ? pins.keySource : null;
  let frontier: Frontier = EMPTY_FRONTIER;
  let next = 0;
  let checkedUpTo = 0;
  // The frontier of the latest checkpoint verified so far: what the next run is to extend.
  let verifiedFrontier = null as Frontier | null;
  const fail = (problem: AuditProblem<LogProblemCode>): LogVerification => ({
    ok: false,
    problem,
    entriesChecked: frontier.size,
    checkpoints: next,
    keySource,
  });
  if (!pins.ok) return fail(pins.problem);
  const { pinned, keyText } = pins;
  if (pinned === null && checkpoints.length > 0) {
    return fail(
      auditProblem(
        'no-verifier-key',
        'the log has checkpoints but no pinned key; pass --verifier-key',
      ),
    );
  }
  if (previous && size < previous.size) {
    return fail(
      auditProblem(
        'tree-shrank',
        `the log holds ${size} entries, fewer than the ${previous.size} verified before: ` +
          `seq ${size}–${previous.size - 1} were removed`,
        { seq: size, seqRange: [size, previous.size - 1], checkpointSize: previous.size },
      ),
    );
  }

  /** Checks the checkpoints of the current size, if any. */
  const checkpointsHere = (): AuditProblem<LogProblemCode> | null => {
    if (pinned === null) return null;
    for (let cp = checkpoints[next]; cp?.size === frontier.size; cp = checkpoints[next]) {
      const problem = checkStoredCheckpoint(cp, pinned, frontierRoot(frontier), checkedUpTo);
      if (problem) return problem;
      checkedUpTo = cp.size;
      next += 1;
      verifiedFrontier = frontier;
    }
    // The checkpoint an earlier run verified: the same tree, and still stored.
    return previous?.size === frontier.size
      ? checkRemembered(previous, frontier, checkpoints)
      : null;
  };

  const pages = pageSize(options);
  // The frontier at the last point where everything stored matched: a mismatch found
  // later lies after it, which is where firstNodeMismatch looks to narrow it down.
  let anchor = frontier;
  const narrowed = async (problem: AuditProblem<LogProblemCode>) =>
    (await firstNodeMismatch(store, anchor, frontier.size, pages)) ?? problem;

  let problem = checkpointsHere();
  const index = options.index;
  const checkRows = options.checkRows ?? checkRowsOf(store, index?.audit);
  // The stored side of the log-wide comparisons, read meanwhile where a thread is given for it.
  const storedTotals = index
    ? (index.totals ?? ((n) => storedIndexTotals(index.audit.reader, index.audit.key, n)))(size)
    : null;
  storedTotals?.catch(() => undefined);
  const expectedTotals = { fingerprints: INDEX_SET_KINDS.map(() => 0), sealed: 0 };
  // Pages are read ahead: while the rows of the next pages are read and checked (possibly on
  // other threads, each kept busy), this page's leaves are added to the tree here.
  const pageLength = (from: number) => Math.min(pages, size - from);
  const ahead: { readonly from: number; readonly checked: Promise<CheckedRows> }[] = [];
  const pageAt = (from: number): Promise<CheckedRows> => {
    // Pages asked for beyond a short one are dropped; their answers, even failures, unheard.
    if (ahead[0]?.from !== from) ahead.length = 0;
    const last = ahead.at(-1);
    for (
      let at = last ? last.from + pageLength(last.from) : from;
      ahead.length < PAGES_AHEAD && at < size;
      at += pageLength(at)
    ) {
      const checked = checkRows(at, pageLength(at));
      checked.catch(() => undefined);
      ahead.push({ from: at, checked });
    }
    return (ahead.shift() as (typeof ahead)[number]).checked;
  };
  let page = frontier.size < size ? pageAt(frontier.size) : null;
  let pruned = 0;
  while (problem === null && page !== null) {
    const checked = await page;
    pruned += checked.pruned;
    expectedTotals.sealed += checked.sealed;
    expectedTotals.fingerprints = expectedTotals.fingerprints.map((sum, i) =>
      addFingerprints(sum, checked.fingerprints[i] ?? 0),
    );
    const { leafHashes } = checked;
    const nextFrom = frontier.size + leafHashes.length;
    const clean = checked.problem === null && checked.indexProblem === null;
    page = clean && checked.rowsRead > 0 && nextFrom < size ? pageAt(nextFrom) : null;
    // The page's leaves (each already equal to its stored leaf hash) go into the tree in log
    // order, stopping at every checkpoint size to check the checkpoints there.
    const pageStart = frontier.size;
    while (frontier.size < nextFrom) {
      const stop = nextStop(frontier.size, nextFrom, [checkpoints[next]?.size, previous?.size]);
      frontier = appendLeaves(
        frontier,
        leafHashes.slice(frontier.size - pageStart, stop - pageStart),
      );
      problem = checkpointsHere();
      if (problem)
        return fail(problem.code === 'root-mismatch' ? await narrowed(problem) : problem);
    }
    // ...and the stored nodes the root is made of (what the log signs its checkpoints from).
    const edge = subtreeNodes(0, frontier.size);
    const stored = await readStoredNodes(store, edge);
    for (const [i, ref] of edge.entries()) {
      problem = compareStoredNode({ ...ref, hash: frontier.hashes[i] ?? EMPTY_ROOT }, stored[i]);
      if (problem) return fail(await narrowed(problem));
    }
    anchor = frontier;
    // A page that ends early ends at a bad row, or where the log does. An index problem comes
    // before the bad row, whose leaf is not indexed.
    problem =
      checked.rowsRead === 0
        ? missingTail(frontier.size, size)
        : (checked.indexProblem ?? checked.problem);
  }
  if (problem) return fail(problem);
  if (index && storedTotals) {
    const found = await logWideIndexProblem(
      store,
      index.audit,
      size,
      expectedTotals,
      await storedTotals,
    );
    if (found) return fail(found);
  }
  const beyond = checkpoints[next];
  if (beyond) return fail(truncated(beyond, size));
  return {
    ok: true,
    size,
    pruned,
    rootHash: frontierRoot(frontier),
    checkpoints: next,
    latestCheckpointSize: checkpoints.at(-1)?.size ?? null,
    origin: pinned?.origin ?? null,
    keySource,
    verified:
      pinned === null || keyText === null || verifiedFrontier === null
        ? null
        : {
            origin: pinned.origin,
            verifierKey: keyText,
            size: verifiedFrontier.size,
            rootHash: frontierRoot(verifiedFrontier),
            frontier: verifiedFrontier,
          },
    previousSize: previous?.size ?? null,
    index: index
      ? { sealed: expectedTotals.sealed, opened: index.audit.openSealed !== undefined }
      : null,
  };
}

/**
 * Compares the log-wide sums: each fingerprinted set kind (narrowed down to the first entry
 * that differs), and the number of sealed records (a record of no event of the log).
 */
async function logWideIndexProblem(
  store: EventStore,
  audit: IndexAudit,
  size: number,
  expected: IndexTotals,
  stored: IndexTotals,
): Promise<AuditProblem<LogProblemCode> | null> {
  for (const [i, kind] of INDEX_SET_KINDS.entries()) {
    if (expected.fingerprints[i] === stored.fingerprints[i]) continue;
    const problem = await narrowSetMismatch(store, audit.reader, audit.key, kind, size);
    if (problem) return problem;
  }
  return stored.sealed === expected.sealed ? null : strayRecordProblem(store, audit.reader);
}

/**
 * The key and origin checkpoints must carry: those given, else those an earlier run
 * remembered (which must agree with any given), else the log's own settings.
 */
async function pinnedLog(
  store: EventStore,
  options: VerifyLogOptions,
): Promise<
  | {
      readonly ok: true;
      readonly pinned: PinnedLog | null;
      readonly keyText: string | null;
      readonly keySource: KeySource | null;
    }
  | { readonly ok: false; readonly problem: AuditProblem<LogProblemCode> }
> {
  const previous = options.previous ?? null;
  const given = options.verifierKey?.trim();
  if (previous && given !== undefined && given !== previous.verifierKey) {
    return refused(
      'key-changed',
      `the key given is not the key ${previous.verifierKey} remembered for this log; ` +
        'if the log really changed keys, start over with another state file',
    );
  }
  if (previous && options.origin !== undefined && options.origin !== previous.origin) {
    return refused(
      'origin-changed',
      `--origin ${options.origin} is not the origin ${previous.origin} remembered for this log`,
    );
  }
  const keySource: KeySource = given !== undefined ? 'given' : previous ? 'remembered' : 'log';
  const keyText =
    given ?? previous?.verifierKey ?? (await store.setting('verifier_key'))?.trim() ?? null;
  if (keyText === null) return { ok: true, pinned: null, keyText: null, keySource: null };
  const parsed = parseVerifierKey(keyText);
  if (!parsed.ok) return refused('malformed-key', `verifier key: ${parsed.reason}`);
  const origin =
    options.origin ?? previous?.origin ?? (await store.setting('origin')) ?? parsed.verifier.name;
  return { ok: true, pinned: { origin, verifierKey: parsed.verifier }, keyText, keySource };
}

function refused(code: LogProblemCode, reason: string) {
  return { ok: false as const, problem: auditProblem(code, reason) };
}

/** Where adding leaves must pause before `end`: at the first of `sizes` beyond `at`, if any. */
function nextStop(at: number, end: number, sizes: readonly (number | undefined)[]): number {
  let stop = end;
  for (const size of sizes) if (size !== undefined && size > at && size < stop) stop = size;
  return stop;
}

function missingTail(position: number, size: number): AuditProblem<LogProblemCode> {
  return auditProblem(
    'missing-entry',
    `seq ${position}–${size - 1} are missing: the log ends before its own size ${size}`,
    { seq: position, seqRange: [position, size - 1] },
  );
}

function truncated(checkpoint: StoredCheckpoint, size: number): AuditProblem<LogProblemCode> {
  return auditProblem(
    'log-truncated',
    `a checkpoint signs ${checkpoint.size} entries but the log holds ${size}: ` +
      `seq ${size}–${checkpoint.size - 1} were removed`,
    { seq: size, seqRange: [size, checkpoint.size - 1], checkpointSize: checkpoint.size },
  );
}

function pageSize(options: VerifyLogOptions): number {
  const n = options.pageSize ?? DEFAULT_VERIFY_PAGE;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`bad page size ${n}`);
  return n;
}
