import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH } from '../helpers/admin-key.js';
import { killChildProcesses } from '../helpers/child-processes.js';
import { decisionEvent } from '../helpers/event-factory.js';
import { startServer } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';

// A large batch is checked and sealed on the serving thread: health probes and small reads
// must be answered between its slices, not after the whole batch.

const tmp = useTempDir('busy-ingest-probes');
afterAll(killChildProcesses);

/** The largest batch the contract allows, each decision with a subject and features to seal. */
function largeBatch(): string {
  const events = Array.from({ length: 10_000 }, (_, i) =>
    decisionEvent({
      subject: { id: `applicant-${i}` },
      input: { features: { income: 1000 + i, region: 'north', note: 'x'.repeat(300) } },
    }),
  );
  return JSON.stringify({ events });
}

describe('a large batch under way', () => {
  it('leaves /healthz answered between its slices', async () => {
    const server = await startServer(['--db', tmp.file('busy.db'), '--port', '0']);
    const body = largeBatch();
    // Warm the route up, so the measured batch is the server's steady work.
    await fetch(`${server.url}/healthz`);

    let done = false;
    const started = performance.now();
    const ingest = fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { ...ADMIN_AUTH, 'content-type': 'application/json' },
      body,
    }).then(async (response) => {
      done = true;
      return { status: response.status, took: performance.now() - started };
    });
    const probes: number[] = [];
    while (!done) {
      const sent = performance.now();
      const response = await fetch(`${server.url}/healthz`);
      await response.arrayBuffer();
      if (!done) probes.push(performance.now() - sent);
    }
    const { status, took } = await ingest;
    expect(status).toBe(200);
    // Answered throughout: many probes while the batch ran, none held for a large part of it
    // (before slicing, one probe waited for the whole check and seal of the batch).
    expect(probes.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...probes)).toBeLessThan(took / 4);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
