import { withAuthorization } from './http-api.js';
import { performance } from 'node:perf_hooks';
import { actionEvent, decisionEvent, idOf, type TestEvent } from './event-factory.js';
import type { IngestResult } from './http-api.js';

/** One request body sent by a load client, and what became of it. */
export interface LoadBatch {
  readonly client: number;
  /** The server slot it was sent to. */
  readonly target: number;
  readonly format: 'json' | 'ndjson';
  readonly events: readonly TestEvent[];
  /** When it was first sent (performance.now()): nothing of it can be stored before. */
  readonly firstSentAt: number;
  /** When a 200 answer acknowledged it. */
  ackedAt: number | null;
  /** `unacknowledged`: no 200 answer came, so it may or may not be stored (all or nothing). */
  outcome: 'pending' | 'acknowledged' | 'unacknowledged';
  results: readonly IngestResult[];
  attempts: number;
}

/** An answer other than 200, or a request that got no answer (`status` null). */
export interface FailedAttempt {
  readonly target: number;
  readonly status: number | null;
  readonly code: string | null;
  readonly message: string;
  readonly at: number;
}

export interface LoadOptions {
  /** Server slots; `urlOf(slot)` is read at every attempt, so a slot may move to a new server. */
  readonly targets: number;
  readonly urlOf: (target: number) => string;
  readonly clientsPerTarget: number;
  /** Events per request: decisions, and two actions on them. */
  readonly batchSize: number;
  readonly maxBatchesPerClient?: number;
  /**
   * Re-send a batch, with the same ids, after a 503 or a request that got no answer, for up to
   * `forMs`, pausing `pauseMs` between attempts. Without it, a client whose request got no
   * answer stops (its server is gone).
   */
  readonly retry?: { readonly forMs: number; readonly pauseMs: number };
}

export interface IngestLoad {
  readonly batches: readonly LoadBatch[];
  readonly failures: readonly FailedAttempt[];
  /** Requests sent to `target` and not answered yet. */
  inFlight(target: number): number;
  /** Batches acknowledged by `target` (by any when omitted). */
  acknowledged(target?: number): number;
  /** Resolves when every client has finished (its batch limit reached, or stopped). */
  readonly done: Promise<void>;
  /** Starts no new batch and resolves once the batches in flight are settled. */
  stop(): Promise<void>;
}

/**
 * Concurrent HTTP clients ingesting batches with distinct ids into a set of servers, JSON and
 * NDJSON bodies in turn, recording every acknowledgement (ids and seqs) for later checks.
 *
 * @example const load = startIngestLoad({ targets: 3, urlOf: (i) => servers[i].url, … });
 */
export function startIngestLoad(options: LoadOptions): IngestLoad {
  const batches: LoadBatch[] = [];
  const failures: FailedAttempt[] = [];
  const inFlight = new Map<number, number>();
  let stopping = false;

  const attempt = async (batch: LoadBatch): Promise<Answer> => {
    const { target } = batch;
    inFlight.set(target, (inFlight.get(target) ?? 0) + 1);
    batch.attempts += 1;
    try {
      const response = await fetch(
        `${options.urlOf(target)}/v1/events`,
        withAuthorization(requestOf(batch)),
      );
      const text = await response.text();
      if (response.status === 200) {
        batch.results = (JSON.parse(text) as { results: IngestResult[] }).results;
        batch.ackedAt = performance.now();
        batch.outcome = 'acknowledged';
        return 'acknowledged';
      }
      const code = errorCodeOf(text);
      failures.push({
        target,
        status: response.status,
        code,
        message: text,
        at: performance.now(),
      });
      return response.status === 503 ? 'unavailable' : 'refused';
    } catch (error) {
      const message = `${String(error)} ${String((error as Error).cause ?? '')}`;
      failures.push({ target, status: null, code: null, message, at: performance.now() });
      return 'no-answer';
    } finally {
      inFlight.set(target, (inFlight.get(target) ?? 1) - 1);
    }
  };

  /** Sends until acknowledged or given up; the last answer. */
  const send = async (batch: LoadBatch): Promise<Answer> => {
    const deadline = batch.firstSentAt + (options.retry?.forMs ?? 0);
    for (;;) {
      const answer = await attempt(batch);
      if (answer === 'acknowledged') return answer;
      if (answer === 'refused' || !options.retry || performance.now() > deadline) {
        batch.outcome = 'unacknowledged';
        return answer;
      }
      await pause(options.retry.pauseMs);
    }
  };

  const client = async (index: number, target: number): Promise<void> => {
    const limit = options.maxBatchesPerClient ?? Infinity;
    for (let n = 0; n < limit && !stopping; n += 1) {
      const batch: LoadBatch = {
        client: index,
        target,
        format: (index + n) % 2 === 0 ? 'json' : 'ndjson',
        events: batchEvents(options.batchSize, batches.length),
        firstSentAt: performance.now(),
        ackedAt: null,
        outcome: 'pending',
        results: [],
        attempts: 0,
      };
      batches.push(batch);
      // A request given up without an answer means that the server is gone.
      if ((await send(batch)) === 'no-answer') return;
    }
  };

  const clients: Promise<void>[] = [];
  for (let target = 0; target < options.targets; target += 1) {
    for (let c = 0; c < options.clientsPerTarget; c += 1) {
      clients.push(client(clients.length, target));
    }
  }
  const done = Promise.all(clients).then(() => undefined);
  return {
    batches,
    failures,
    inFlight: (target) => inFlight.get(target) ?? 0,
    acknowledged: (target) =>
      batches.filter(
        (b) => b.outcome === 'acknowledged' && (target === undefined || b.target === target),
      ).length,
    done,
    async stop() {
      stopping = true;
      await done;
    },
  };
}

/** `size` events: decisions with varied times, and two actions on the first of them. */
function batchEvents(size: number, n: number): TestEvent[] {
  const decisions = Array.from({ length: Math.max(1, size - 2) }, (_, i) =>
    decisionEvent({
      occurred_at: new Date(Date.UTC(2026, 0, 1) + ((n * 7919 + i) % 100_000) * 1000).toISOString(),
      subject: { id: `applicant-${n % 50}` },
    }),
  );
  const actions = decisions.slice(0, size - decisions.length).map((d) => actionEvent(idOf(d)));
  return [...decisions, ...actions];
}

function requestOf(batch: LoadBatch): RequestInit {
  return batch.format === 'json'
    ? {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch.events }),
      }
    : {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: batch.events.map((e) => `${JSON.stringify(e)}\n`).join(''),
      };
}

function errorCodeOf(text: string): string | null {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

type Answer = 'acknowledged' | 'unavailable' | 'refused' | 'no-answer';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one batch of `size` new events to `url`, once; the batch and any failed answer. */
export async function sendOneBatch(
  url: string,
  size: number,
): Promise<{ batch: LoadBatch; failure: FailedAttempt | null }> {
  const load = startIngestLoad({
    targets: 1,
    urlOf: () => url,
    clientsPerTarget: 1,
    batchSize: size,
    maxBatchesPerClient: 1,
  });
  await load.done;
  const [batch] = load.batches;
  if (!batch) throw new Error('no batch was sent');
  return { batch, failure: load.failures[0] ?? null };
}
