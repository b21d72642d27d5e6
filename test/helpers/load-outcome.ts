import { isDeepStrictEqual } from 'node:util';
import { idOf, type TestEvent } from './event-factory.js';
import type { LoadBatch } from './ingest-load.js';
import type { StoredLog } from './stored-log.js';

/** What a load left in the log, and every broken promise found (empty when all is well). */
export interface LoadOutcome {
  readonly problems: readonly string[];
  readonly acknowledgedEvents: number;
  /** Batches that got no 200 answer, by whether they were stored (whole) or not at all. */
  readonly unacknowledgedStored: number;
  readonly unacknowledgedAbsent: number;
}

/**
 * Checks a stored log against the batches that clients sent:
 * - seqs are 0..n-1 with no gap, the `logs` row says n, and no id is stored twice;
 * - every stored event was sent, with the content sent, and the body holds its own seq;
 * - every acknowledged event is stored at the seq it was acknowledged with;
 * - each batch is stored whole at consecutive seqs in its order, or (unacknowledged) not at all;
 * - a batch acknowledged before another was first sent has lower seqs (real-time order).
 */
export function loadOutcome(batches: readonly LoadBatch[], log: StoredLog): LoadOutcome {
  const problems: string[] = [];
  const { entries } = log;
  entries.forEach((entry, i) => {
    if (entry.seq !== i) problems.push(`position ${i} holds seq ${entry.seq}: a gap or a repeat`);
  });
  if (log.size !== entries.length) {
    problems.push(`the logs row says size ${log.size}, ${entries.length} events are stored`);
  }
  const stored = new Map<string, { seq: number; body: string }>();
  for (const entry of entries) {
    if (stored.has(entry.id)) problems.push(`id ${entry.id} is stored twice`);
    stored.set(entry.id, entry);
  }

  const sent = new Map<string, TestEvent>();
  for (const batch of batches) for (const event of batch.events) sent.set(idOf(event), event);
  for (const entry of entries) {
    const event = sent.get(entry.id);
    if (!event) {
      problems.push(`seq ${entry.seq} holds ${entry.id}, which no client sent`);
      continue;
    }
    const {
      seq,
      recorded_at: _recordedAt,
      ...content
    } = JSON.parse(entry.body) as {
      seq: number;
      recorded_at: string;
    };
    if (seq !== entry.seq) problems.push(`seq ${entry.seq} holds a body with seq ${seq}`);
    if (!isDeepStrictEqual(content, event)) {
      problems.push(`seq ${entry.seq} (${entry.id}) is not what was sent: ${entry.body}`);
    }
  }

  let acknowledgedEvents = 0;
  let unacknowledgedStored = 0;
  let unacknowledgedAbsent = 0;
  const spans: { batch: LoadBatch; first: number; last: number }[] = [];
  for (const batch of batches) {
    const ids = batch.events.map(idOf);
    const name = `batch of ${ids[0]}… (client ${batch.client}, server ${batch.target})`;
    if (batch.outcome === 'acknowledged') {
      acknowledgedEvents += ids.length;
      const answered = batch.results.map((r) => r.id);
      if (!isDeepStrictEqual(answered, ids)) {
        problems.push(`${name} was answered for other ids: ${answered.join(' ')}`);
      }
      for (const result of batch.results) {
        const at = stored.get(result.id)?.seq;
        if (at !== result.seq) {
          problems.push(`${result.id} was acknowledged at seq ${result.seq}, stored at ${at}`);
        }
      }
    }
    const seqs = ids.map((id) => stored.get(id)?.seq);
    const present = seqs.filter((seq) => seq !== undefined);
    if (present.length === 0) {
      if (batch.outcome === 'acknowledged') problems.push(`${name} is acknowledged, not stored`);
      else unacknowledgedAbsent += 1;
      continue;
    }
    if (batch.outcome !== 'acknowledged') unacknowledgedStored += 1;
    if (present.length !== ids.length) {
      problems.push(`${name} is stored in part: ${present.length} of ${ids.length} events`);
      continue;
    }
    const first = present[0] ?? 0;
    if (!present.every((seq, i) => seq === first + i)) {
      problems.push(`${name} is not at consecutive seqs in its order: ${present.join(' ')}`);
    }
    spans.push({ batch, first, last: present.at(-1) ?? first });
  }
  problems.push(...realTimeOrderProblems(spans));
  return {
    problems: problems.slice(0, 30),
    acknowledgedEvents,
    unacknowledgedStored,
    unacknowledgedAbsent,
  };
}

/**
 * A batch acknowledged before another batch was first sent was committed first, so its seqs
 * are lower: the log order agrees with what clients observed.
 */
function realTimeOrderProblems(
  spans: readonly { batch: LoadBatch; first: number; last: number }[],
): string[] {
  const moments = spans.flatMap((span) => [
    { at: span.batch.firstSentAt, kind: 'sent', span },
    ...(span.batch.ackedAt === null ? [] : [{ at: span.batch.ackedAt, kind: 'acked', span }]),
  ]);
  // At equal times the order is unknown: the send counts first, which asks nothing of it.
  const rank = (kind: string) => (kind === 'sent' ? 0 : 1);
  moments.sort((a, b) => a.at - b.at || rank(a.kind) - rank(b.kind));
  const problems: string[] = [];
  let highestAcknowledged = -1;
  for (const { kind, span } of moments) {
    if (kind === 'acked') highestAcknowledged = Math.max(highestAcknowledged, span.last);
    else if (span.first <= highestAcknowledged) {
      problems.push(
        `a batch sent after seq ${highestAcknowledged} was acknowledged got seq ${span.first}`,
      );
    }
  }
  return problems;
}
