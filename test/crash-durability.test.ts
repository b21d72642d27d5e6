import { afterAll, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  actionEvent,
  decisionEvent,
  idOf,
  type DecisionEvent,
  type TestEvent,
} from './helpers/event-factory.js';
import {
  getJson,
  postEvents,
  probeLogSize,
  type DecisionChain,
  type DecisionPage,
  type IngestResult,
} from './helpers/http-api.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore } from './helpers/test-store.js';

const tmp = useTempDir('crash');
afterAll(killChildProcesses);

const SENDERS = 16;
const DECISIONS_PER_BATCH = 10;
/** Kill the server once this many batches have been acknowledged. */
const KILL_AFTER_BATCHES = 80;

interface Batch {
  readonly events: readonly TestEvent[];
  outcome: 'pending' | 'acknowledged' | 'lost' | 'rejected';
}

/** Ten decisions and two actions of them, each batch with its own time so order is mixed. */
function makeBatch(n: number): Batch {
  const decisions = Array.from({ length: DECISIONS_PER_BATCH }, (_, i) =>
    decisionEvent({
      occurred_at: new Date(Date.UTC(2026, 0, 1) + ((n * 7919 + i) % 100_000) * 1000).toISOString(),
    }),
  );
  const actions = decisions.slice(0, 2).map((d) => actionEvent(idOf(d)));
  return { events: [...decisions, ...actions], outcome: 'pending' };
}

/** Every decision in the log, through the cursor. */
async function allDecisions(url: string): Promise<DecisionEvent[]> {
  const items: DecisionEvent[] = [];
  let cursor: string | null = null;
  do {
    const path: string = `/v1/decisions?limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await getJson<DecisionPage>(url, path);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return items;
}

it('keeps every acknowledged event, with gapless seqs, when the server is killed mid-ingestion', async () => {
  const store = await testStore(tmp, 'crash');
  const first = await startServerOn(store);
  const acknowledged = new Map<string, number>(); // id → seq
  const batches: Batch[] = [];
  const unexpected: string[] = [];
  let acknowledgedBatches = 0;
  let stopping = false;
  let killed: Promise<unknown> | null = null;

  async function sender(): Promise<void> {
    while (!stopping) {
      const batch = makeBatch(batches.length);
      batches.push(batch);
      try {
        const response = await postEvents<{ results: IngestResult[] }>(first.url, batch.events);
        if (response.status !== 200) {
          batch.outcome = 'rejected';
          unexpected.push(`${response.status} ${JSON.stringify(response.body)}`);
          continue;
        }
        batch.outcome = 'acknowledged';
        for (const result of response.body.results) acknowledged.set(result.id, result.seq);
        acknowledgedBatches += 1;
        if (acknowledgedBatches >= KILL_AFTER_BATCHES && !killed) {
          stopping = true;
          killed = first.stop('SIGKILL');
        }
      } catch {
        batch.outcome = 'lost'; // the connection died with the server
      }
    }
  }
  await Promise.all(Array.from({ length: SENDERS }, () => sender()));
  expect(await killed).toEqual({ code: null, signal: 'SIGKILL' });
  expect(unexpected).toEqual([]);
  const lost = batches.filter((b) => b.outcome === 'lost');
  expect(lost.length, 'no request was in flight when the server died').toBeGreaterThan(0);
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_BATCHES * 12);

  const second = await startServerOn(store);
  const decisions = await allDecisions(second.url);
  const stored = new Map<string, number>();
  for (const decision of decisions) {
    const chain = await getJson<DecisionChain>(second.url, `/v1/decisions/${idOf(decision)}`);
    for (const event of [chain.body.decision, ...chain.body.actions])
      stored.set(event.id, event.seq);
  }

  for (const [id, seq] of acknowledged) {
    expect(stored.get(id), `acknowledged event ${id} (seq ${seq})`).toBe(seq);
  }
  const seqs = [...stored.values()].sort((a, b) => a - b);
  expect(seqs).toEqual(seqs.map((_, i) => i));
  expect(await probeLogSize(second.url), 'events stored beyond the visible ones').toBe(seqs.length);

  // A request the server never answered was stored whole or not at all.
  for (const batch of lost) {
    const present = batch.events.filter((e) => stored.has(idOf(e))).length;
    expect([0, batch.events.length]).toContain(present);
  }
  // Stored content is what was sent.
  const sent = new Map(batches.flatMap((b) => b.events).map((e) => [idOf(e), e]));
  for (const decision of decisions) expect(decision).toMatchObject(sent.get(idOf(decision)) ?? {});
  await second.stop();
});
