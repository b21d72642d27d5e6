import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';

// `npm run demo` (examples/credit-service) against a fresh server: what it says it logged is
// what the server holds, with the planted drift and escalation spike, and a second run adds
// nothing.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tmp = useTempDir('credit-demo');
let server: ServerProcess;
beforeAll(async () => {
  server = await startServer(['--db', tmp.file('demo.db'), '--port', '0']);
});
afterAll(() => server.stop());

interface DemoSummary {
  counts: {
    decisions: number;
    actions: Record<string, number>;
    outcomes: { success: number; failure: number };
    annotations: number;
  };
  days: { day: number; date: string; decisions: number; escalations: number; meanScore: number }[];
  stats: Record<string, number>;
  seconds: number;
}

function demo(): DemoSummary {
  const args = [
    'run',
    'demo',
    '--silent',
    '--',
    '--seed',
    '7',
    '--per-day',
    '80',
    '--end',
    '2026-12-07',
  ];
  const result = spawnSync('npm', args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DECLOG_URL: server.url, DECLOG_API_KEY: TEST_ADMIN_KEY },
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as DemoSummary;
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { headers: ADMIN_AUTH });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

interface LoggedEvent {
  type: string;
  action?: { kind: string };
}

async function allEvents(): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let from: number | null = 0; from !== null;) {
    const page: { items: { event: LoggedEvent }[]; next: number | null } = await get(
      `/v1/events?from=${from}&limit=1000`,
    );
    events.push(...page.items.map((item) => item.event));
    from = page.next;
  }
  return events;
}

async function decisionsBetween(from: string, to: string, filter = '') {
  const items: { prediction: { score: number } }[] = [];
  for (let cursor = ''; ;) {
    const page = await get<{
      items: { prediction: { score: number } }[];
      next_cursor: string | null;
    }>(`/v1/decisions?from=${from}T00:00:00Z&to=${to}T00:00:00Z&limit=1000${filter}${cursor}`);
    items.push(...page.items);
    if (page.next_cursor === null) return items;
    cursor = `&cursor=${encodeURIComponent(page.next_cursor)}`;
  }
}

describe('npm run demo (examples/credit-service)', () => {
  it('fills a fresh server with the week it reports, drift and spike included, and is idempotent', async () => {
    const summary = demo();
    expect(summary.stats).toMatchObject({ dropped: 0, rejected: 0, queued: 0 });
    const events = await allEvents();
    const count = (type: string) => events.filter((e) => e.type === type).length;
    const { counts } = summary;
    expect(count('decision')).toBe(counts.decisions);
    expect(count('action')).toBe(Object.values(counts.actions).reduce((a, b) => a + b, 0));
    expect(count('outcome')).toBe(counts.outcomes.success + counts.outcomes.failure);
    expect(count('annotation')).toBe(counts.annotations);
    for (const [kind, n] of Object.entries(counts.actions)) {
      expect(events.filter((e) => e.action?.kind === kind).length, kind).toBe(n);
    }
    expect(counts.outcomes.failure).toBeGreaterThan(0);
    expect(counts.annotations).toBeGreaterThan(0);
    expect(summary.stats['sent']).toBe(events.length);

    // The escalation spike, as a reader finds it: decisions of each day with an escalation.
    const days = summary.days.map((d) => d.date);
    const next = (date: string) =>
      new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);
    const escalated = await Promise.all(
      days.map(
        async (date) =>
          (await decisionsBetween(date, next(date), '&action_kind=escalation')).length,
      ),
    );
    expect(escalated).toEqual(summary.days.map((d) => d.escalations));
    const spike = Math.max(...escalated);
    expect(escalated.indexOf(spike)).toBe(3);
    expect(spike).toBeGreaterThan(5 * Math.max(1, ...escalated.filter((_, i) => i !== 3)));

    // The drift: the mean score of the last two days, read back, well below the first five's.
    const mean = (items: { prediction: { score: number } }[]) =>
      items.reduce((s, d) => s + d.prediction.score, 0) / items.length;
    const before = mean(await decisionsBetween(days[0]!, days[5]!));
    const after = mean(await decisionsBetween(days[5]!, next(days[6]!)));
    expect(before - after).toBeGreaterThan(0.15);

    // The same seed and dates again: every event a duplicate, nothing new stored.
    const again = demo();
    expect(again.counts).toEqual(summary.counts);
    expect((await allEvents()).length).toBe(events.length);
  });
});
