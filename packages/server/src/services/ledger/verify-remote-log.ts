import {
  appendLeaf,
  EMPTY_FRONTIER,
  frontierRoot,
  parseVerifierKey,
  verifyCheckpoint,
  type Frontier,
  type PinnedLog,
} from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { checkEntry, type EntryFailureCode } from './check-entry.js';
import { checkLogExtends, type ExtendsProblemCode } from './check-log-extends.js';
import type { LogReader } from './log-reader.js';
import { parseEntriesPage } from './parse-entries-page.js';
import { sameBytes } from './_bytes.js';
import { checkServedChains, sampleChains } from './served-chains.js';
import type { VerifiedLog } from './verified-log.js';

export type RemoteProblemCode =
  | 'malformed-key'
  | 'key-changed'
  | 'origin-changed'
  | 'bad-checkpoint'
  | ExtendsProblemCode
  | 'malformed-response'
  | 'missing-entry'
  | EntryFailureCode
  | 'bad-leaf-hash'
  | 'log-truncated'
  | 'root-mismatch'
  | 'bad-chain';

export interface VerifyRemoteOptions {
  /** Verifier key text obtained out of band; wins over the remembered one only if equal. */
  readonly verifierKey?: string;
  /** The origin the checkpoint must name; default: remembered, else `originOf` the key's name. */
  readonly origin?: string;
  /**
   * The origin of the log audited, from the key's name (the origin of the server's default
   * log); default: the name itself. Other logs derive theirs, e.g. `NAME/tenant/T/access`.
   */
  readonly originOf?: (keyName: string) => string;
  /** What an earlier run verified for this server, if any. */
  readonly previous?: VerifiedLog | null;
  /**
   * How many decisions, picked among the entries downloaded, to read back through the chain
   * endpoint and check against their leaves (see served-chains); default none.
   */
  readonly chains?: number | 'all';
}

/** How the key was chosen: given, remembered from an earlier run, or trusted on first use. */
export type RemoteKeySource = 'given' | 'remembered' | 'first-use';

export type RemoteVerification =
  | {
      readonly ok: true;
      readonly keySource: RemoteKeySource;
      readonly verified: VerifiedLog;
      readonly previousSize: number | null;
      readonly downloaded: number;
      /** Entries downloaded that were pruned by retention (only their leaf hashes are left). */
      readonly pruned: number;
      /** Decision chains read back and found to agree with their leaves. */
      readonly chains: number;
    }
  | {
      readonly ok: false;
      readonly keySource: RemoteKeySource | null;
      readonly verifierKey: string | null;
      readonly problem: AuditProblem<RemoteProblemCode>;
      readonly downloaded: number;
    };

/** Entries asked for per request: the API's maximum page. */
export const REMOTE_PAGE = 1000;

/**
 * Audits a log through its API alone, trusting nothing the server says that is not bound to
 * a checkpoint signed by the pinned key: the checkpoint must verify, must extend what an
 * earlier run verified (consistency proof), and the entries served (only the new ones when
 * resuming from the remembered frontier) must each be the canonical JSON of their event at
 * their seq and together hash to the signed root.
 */
export async function verifyRemoteLog(
  reader: LogReader,
  options: VerifyRemoteOptions = {},
): Promise<RemoteVerification> {
  const previous = options.previous ?? null;
  let downloaded = 0;
  let keySource: RemoteKeySource | null = null;
  let keyText: string | null = null;
  const fail = (problem: AuditProblem<RemoteProblemCode>): RemoteVerification => ({
    ok: false,
    keySource,
    verifierKey: keyText,
    problem,
    downloaded,
  });

  if (options.verifierKey !== undefined) {
    keySource = 'given';
    keyText = options.verifierKey.trim();
    if (previous && previous.verifierKey !== keyText) {
      return fail(
        auditProblem(
          'key-changed',
          `the key given is not the key ${previous.verifierKey} remembered for this server; ` +
            'if the log really changed keys, start over with another state file',
        ),
      );
    }
  } else if (previous) {
    keySource = 'remembered';
    keyText = previous.verifierKey;
  } else {
    keySource = 'first-use';
    keyText = (await reader.verifierKey()).trim();
  }
  const parsedKey = parseVerifierKey(keyText);
  if (!parsedKey.ok) return fail(auditProblem('malformed-key', `key: ${parsedKey.reason}`));
  if (previous && options.origin !== undefined && options.origin !== previous.origin) {
    return fail(
      auditProblem(
        'origin-changed',
        `--origin ${options.origin} is not the origin ${previous.origin} remembered for this server`,
      ),
    );
  }
  const pinned: PinnedLog = {
    origin:
      options.origin ??
      previous?.origin ??
      (options.originOf ?? ((name) => name))(parsedKey.verifier.name),
    verifierKey: parsedKey.verifier,
  };

  const opened = verifyCheckpoint(await reader.checkpoint(), pinned);
  if (!opened.ok) {
    return fail(auditProblem('bad-checkpoint', `the server's checkpoint: ${opened.reason}`));
  }
  const checkpoint = opened.checkpoint;
  if (previous) {
    const problem = await checkLogExtends(reader, previous, checkpoint);
    if (problem) return fail(problem);
  }

  let frontier: Frontier = previous?.frontier ?? EMPTY_FRONTIER;
  const start = frontier.size;
  const sample = sampleChains(options.chains ?? 0);
  let pruned = 0;
  while (frontier.size < checkpoint.size) {
    const limit = Math.min(REMOTE_PAGE, checkpoint.size - frontier.size);
    const page = parseEntriesPage(await reader.entries(frontier.size, limit));
    if (!page.ok) {
      return fail(
        auditProblem(
          'malformed-response',
          `GET ${reader.paths?.entries ?? '/v1/events'}?from=${frontier.size}: ${page.reason}`,
        ),
      );
    }
    if (page.items.length === 0) {
      const seqRange = [frontier.size, checkpoint.size - 1] as const;
      return fail(
        auditProblem(
          'log-truncated',
          `the checkpoint signs ${checkpoint.size} entries but the server serves only ${frontier.size}`,
          { seq: frontier.size, seqRange, checkpointSize: checkpoint.size },
        ),
      );
    }
    for (const entry of page.items.slice(0, limit)) {
      const seq = frontier.size;
      if (entry.seq !== seq) {
        return fail(
          auditProblem(
            entry.seq > seq ? 'missing-entry' : 'reordered-entry',
            `asked for seq ${seq}, the server sent seq ${entry.seq}`,
            { seq },
          ),
        );
      }
      if ('pruned' in entry) {
        // Pruned by retention: nothing to recompute; the signed root vouches for the hash.
        frontier = appendLeaf(frontier, entry.leafHash).frontier;
        downloaded += 1;
        pruned += 1;
        continue;
      }
      const checked = checkEntry(entry);
      if (!checked.ok)
        return fail(auditProblem(checked.code, `seq ${seq}: ${checked.reason}`, { seq }));
      if (!sameBytes(checked.leafHash, entry.leafHash)) {
        return fail(
          auditProblem('bad-leaf-hash', `seq ${seq}: leaf_hash is not the hash of the leaf`, {
            seq,
          }),
        );
      }
      frontier = appendLeaf(frontier, checked.leafHash).frontier;
      sample.see(seq, entry.event);
      downloaded += 1;
    }
  }

  if (!sameBytes(frontierRoot(frontier), checkpoint.rootHash)) {
    const seqRange = [start, checkpoint.size - 1] as const;
    return fail(
      auditProblem(
        'root-mismatch',
        `the entries served do not hash to the signed root of size ${checkpoint.size}: ` +
          `the server serves other entries than it signed, somewhere in seq ${seqRange[0]}–${seqRange[1]}`,
        { seq: start, seqRange, checkpointSize: checkpoint.size },
      ),
    );
  }
  // The entries are the signed ones: what the chain endpoint serves is checked against them.
  const chains = sample.picked();
  const chainProblem = await checkServedChains(reader, chains, {
    verifierKey: keyText,
    origin: pinned.origin,
  });
  if (chainProblem) return fail(chainProblem);
  return {
    ok: true,
    keySource,
    verified: {
      origin: pinned.origin,
      verifierKey: keyText,
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      frontier,
    },
    previousSize: previous?.size ?? null,
    downloaded,
    pruned,
    chains: chains.length,
  };
}
