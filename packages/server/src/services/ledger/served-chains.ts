import { createHmac, randomBytes } from 'node:crypto';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { bundleOfChain } from './bundle-from-server.js';
import type { LogReader } from './log-reader.js';
import { verifyEvidenceBundle } from './verify-evidence-bundle.js';

/** A decision whose chain is to be read from the server, and what the entries linked to it. */
interface SampledDecision {
  readonly id: string;
  readonly seq: number;
  /** Seqs of the entries downloaded that name it. */
  readonly linked: number[];
}

/**
 * Decisions picked from the entries a remote audit downloads, to read their chains back: the
 * `limit` decision ids of least keyed hash (a bottom-k sample: as random as the key, the same
 * whatever order the entries come in), each with the downloaded entries that name it, so
 * that memory stays bounded by the sample, not the log.
 */
export interface ChainSample {
  /** One downloaded entry, its event checked already against its leaf. */
  see(seq: number, event: unknown): void;
  /** The decisions picked, at most `limit`, in log order. */
  picked(): readonly SampledDecision[];
}

/** A sample of `limit` of the decisions downloaded (every one with `'all'`; none with 0). */
export function sampleChains(limit: number | 'all'): ChainSample {
  const secret = randomBytes(32);
  const candidates = new Map<string, { hash: number; seq: number | null; linked: number[] }>();
  // The hashes of the `limit` least decisions seen, ascending; an id hashing above the last
  // one (once there are `limit`) can no longer be picked, and the last one is picked.
  const least: number[] = [];
  const threshold = () =>
    limit === 'all' || least.length < limit ? Infinity : (least.at(-1) ?? Infinity);
  const hashOf = (id: string) => createHmac('sha256', secret).update(id).digest().readUIntBE(0, 6);
  return {
    see(seq, event) {
      if (limit === 0) return;
      const { id, type, decision_id: linkedTo } = event as Record<string, unknown>;
      const decision = type === 'decision' ? id : linkedTo;
      if (typeof decision !== 'string') return;
      const known = candidates.get(decision);
      const hash = known?.hash ?? (limit === 'all' ? 0 : hashOf(decision));
      if (hash > threshold()) return;
      const found = known ?? { hash, seq: null, linked: [] };
      candidates.set(decision, found);
      if (type !== 'decision') {
        found.linked.push(seq);
        return;
      }
      found.seq = seq;
      if (limit === 'all') return;
      least.splice(sortedIndex(least, hash), 0, hash);
      if (least.length > limit) least.pop();
      // Forgotten now and then rather than at each pick: they can never be picked again.
      if (candidates.size > 4 * limit + 64) {
        const bar = threshold();
        for (const [key, value] of candidates) if (value.hash > bar) candidates.delete(key);
      }
    },
    picked() {
      const bar = threshold();
      const decisions: SampledDecision[] = [];
      for (const [id, { hash, seq, linked }] of candidates) {
        if (seq !== null && hash <= bar) decisions.push({ id, seq, linked });
      }
      return decisions.sort((a, b) => a.seq - b.seq);
    },
  };
}

/** Where `value` goes in the ascending `values`. */
function sortedIndex(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

const SECTIONS = [
  ['actions', 'action'],
  ['outcomes', 'outcome'],
  ['annotations', 'annotation'],
] as const;

/**
 * Reads back the chain of each sampled decision (`GET /v1/decisions/{id}?proof=true`), as a
 * distrusting client: the decision and every event served must be proven in the log against
 * a checkpoint signed by the pinned key (so each is exactly its leaf: id, type, link), the
 * decision must be the one asked for and every other event must name it, in the list of its
 * type, and every downloaded entry naming it (below the checkpoint's size) must be among them.
 */
export async function checkServedChains(
  reader: LogReader,
  decisions: readonly SampledDecision[],
  pin: { readonly verifierKey: string; readonly origin: string },
): Promise<AuditProblem<'bad-chain'> | null> {
  for (const decision of decisions) {
    const problem = await chainProblem(reader, decision, pin);
    if (problem !== null) {
      return auditProblem('bad-chain', `the chain of decision ${decision.id}: ${problem.reason}`, {
        seq: problem.seq,
      });
    }
  }
  return null;
}

async function chainProblem(
  reader: LogReader,
  decision: SampledDecision,
  pin: { readonly verifierKey: string; readonly origin: string },
): Promise<{ seq: number; reason: string } | null> {
  const at = (seq: number, reason: string) => ({ seq, reason });
  let answer: unknown;
  try {
    answer = await reader.decisionWithProofs(decision.id);
  } catch (error) {
    const message = (error as Error).message;
    // Pruned by retention since it was downloaded: nothing left to read back.
    if (/ answered 410/.test(message)) return null;
    return at(decision.seq, message);
  }
  const chain = (answer ?? {}) as Record<string, unknown>;
  for (const [section, type] of SECTIONS) {
    const events = chain[section];
    if (!Array.isArray(events)) return at(decision.seq, `it has no ${section} list`);
    for (const event of events as Record<string, unknown>[]) {
      const seq = typeof event?.['seq'] === 'number' ? event['seq'] : decision.seq;
      if (event?.['type'] !== type) {
        return at(seq, `the server lists a ${String(event?.['type'])} among its ${section}`);
      }
    }
  }
  let bundle: Record<string, unknown>;
  try {
    bundle = bundleOfChain(answer, decision.id, pin.verifierKey);
  } catch (error) {
    return at(decision.seq, (error as Error).message);
  }
  const verified = verifyEvidenceBundle(bundle, pin);
  if (!verified.ok) {
    const { code, reason, seq } = verified.problem;
    return at(seq ?? decision.seq, `${code}: ${reason}`);
  }
  const decisionSeq = verified.events.find((e) => e.type === 'decision')?.seq;
  if (decisionSeq !== decision.seq) {
    return at(
      decision.seq,
      `the decision served is seq ${String(decisionSeq)}, not ${decision.seq}`,
    );
  }
  const served = new Set(verified.events.map((e) => e.seq));
  const hidden = decision.linked.find((seq) => seq < verified.treeSize && !served.has(seq));
  if (hidden !== undefined)
    return at(hidden, `the entry at seq ${hidden} names it, the chain served leaves it out`);
  return null;
}
