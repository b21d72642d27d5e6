import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from '../helpers/child-processes.js';
import { decisionEvent } from '../helpers/event-factory.js';
import { ingestOk, request, withAuthorization } from '../helpers/http-api.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, testStore } from '../helpers/test-store.js';

// A page of any list ends at 4 MiB of items, whatever its limit, and says where to go on:
// one `GET /v1/events?limit=1000` of 64 KiB events was a 140 MB answer.

const tmp = useTempDir('security-page-bytes');
afterAll(killChildProcesses);

const MAX_PAGE_BYTES = 4 * 1024 * 1024;
/** Room for the page's own members around its items. */
const ENVELOPE_BYTES = 200;
const DECISIONS = 120;

let server: ServerProcess;
const ids: string[] = [];

beforeAll(async () => {
  server = await startServerOn(await testStore(tmp, 'pages'));
  // Decisions of about 60 KB each (under the 64 KiB limit), sent in batches under 10 MiB.
  for (let batch = 0; batch < DECISIONS / 40; batch += 1) {
    const events = Array.from({ length: 40 }, (_, i) =>
      decisionEvent({
        occurred_at: new Date(Date.UTC(2026, 0, 1, 0, 0, batch * 40 + i)).toISOString(),
        prediction: { label: 'approve', value: `${batch}-${i}-${'v'.repeat(60_000)}` },
      }),
    );
    await ingestOk(server.url, events);
    ids.push(...events.map((event) => event.id ?? ''));
  }
});
afterAll(() => server?.stop());

/** GET `path`, with the size of the answer's body in bytes. */
async function page<T>(path: string): Promise<{ status: number; bytes: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, withAuthorization());
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes: bytes.length, body: JSON.parse(bytes.toString()) as T };
}

describe('a page of a list', () => {
  it('of log entries ends before 4 MiB, with the seq to go on from, and the pages hold every entry once', async () => {
    const seqs: number[] = [];
    let from: number | null = 0;
    let pages = 0;
    while (from !== null) {
      const answer: {
        status: number;
        bytes: number;
        body: { items: { seq: number }[]; next: number | null };
      } = await page(`/v1/events?from=${from}&limit=1000`);
      expect(answer.status).toBe(200);
      expect(answer.bytes, `page from ${from}`).toBeLessThanOrEqual(
        MAX_PAGE_BYTES + ENVELOPE_BYTES,
      );
      expect(answer.body.items.length).toBeGreaterThan(0);
      seqs.push(...answer.body.items.map((item) => item.seq));
      from = answer.body.next;
      pages += 1;
    }
    expect(pages, 'pages of 1000 entries of about 140 KB each').toBeGreaterThan(3);
    const size = seqs.length;
    expect(seqs).toEqual(Array.from({ length: size }, (_, i) => i));
    expect(size).toBeGreaterThanOrEqual(DECISIONS);
  });

  it('of decisions ends before 4 MiB, with a cursor, and the pages hold every decision once', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const answer: {
        status: number;
        bytes: number;
        body: { items: { id: string }[]; next_cursor: string | null };
      } = await page(`/v1/decisions?limit=1000${cursor === '' ? '' : `&cursor=${cursor}`}`);
      expect(answer.status).toBe(200);
      expect(answer.bytes).toBeLessThanOrEqual(MAX_PAGE_BYTES + ENVELOPE_BYTES);
      seen.push(...answer.body.items.map((item) => item.id));
      cursor = answer.body.next_cursor;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('of the access trail ends before 4 MiB too', async () => {
    // Refused queries are recorded with what they were given: 12 KB each.
    const junk = 'j'.repeat(12_000);
    for (let i = 0; i < 360; i += 1) {
      const refused = await request(server.url, `/v1/decisions?junk${i}=${junk}`);
      expect(refused.status).toBe(400);
    }
    let cursor: string | null = '0';
    let entries = 0;
    let pages = 0;
    while (cursor !== null) {
      const answer: {
        status: number;
        bytes: number;
        body: { items: unknown[]; next_cursor: string | null };
      } = await page(`/v1/access-log?limit=1000&cursor=${cursor}`);
      expect(answer.status).toBe(200);
      expect(answer.bytes).toBeLessThanOrEqual(MAX_PAGE_BYTES + ENVELOPE_BYTES);
      entries += answer.body.items.length;
      cursor = answer.body.next_cursor;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
    expect(entries).toBeGreaterThanOrEqual(360);
  });
});
