import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  actionEvent,
  decisionEvent,
  outcomeEvent,
  type TestEvent,
} from './helpers/event-factory.js';
import { ingestInto } from './helpers/ledger-store.js';
import { runCli } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore } from './helpers/test-store.js';

/** `declog models` and `declog analyze`, on the database directly and through a server. */

const tmp = useTempDir('cli-analytics');
afterAll(killChildProcesses);

const at = (day: number) => `2026-02-${String(day).padStart(2, '0')}T10:00:00Z`;
const events: TestEvent[] = [];
for (let day = 1; day <= 20; day += 1) {
  for (let i = 0; i < 10; i += 1) {
    const decision = decisionEvent({
      occurred_at: at(day),
      model: { name: 'credit', version: day <= 10 ? '1' : '2' },
      prediction: { label: i < 5 ? 'approve' : 'decline', score: i / 10 },
    });
    events.push(decision, outcomeEvent(decision.id as string, { occurred_at: at(day + 1) }));
    if (day === 15 && i < 8)
      events.push(actionEvent(decision.id as string, { kind: 'escalation' }));
  }
}

describe('declog models and declog analyze', () => {
  it('declare, list and show models, and analyse, on the database and through a server', async () => {
    const store = await testStore(tmp, 'cli');
    await ingestInto(store, events);
    const cwd = store.cwd;
    const file = join(tmp.path, 'models.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'credit', version: '1', owner: 'risk', purpose: 'loans', positive_label: 'repaid' },
        { name: 'credit', version: '2', owner: 'risk', purpose: 'loans', positive_label: 'repaid' },
      ]),
    );
    const declared = await runCli(['models', 'declare', file, ...store.args], { cwd });
    expect(declared.stderr).toBe('');
    expect(declared.stdout).toBe(
      'credit 1: declared, revision 1\ncredit 2: declared, revision 1\n',
    );
    const again = await runCli(['models', 'declare', file, ...store.args], { cwd });
    expect(again.stdout).toBe('credit 1: unchanged, revision 1\ncredit 2: unchanged, revision 1\n');

    const list = await runCli(['models', 'list', ...store.args], { cwd });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^model\s+version\s+declared\s+decisions/);
    expect(list.stdout).toMatch(/credit\s+1\s+revision 1\s+100\s+0\s+100/);

    const quality = await runCli(['analyze', 'quality', ...store.args, '--json'], { cwd });
    expect(quality.code, quality.stderr).toBe(0);
    const answer = JSON.parse(quality.stdout) as { checks: { check: string; count: number }[] };
    expect(answer.checks.find((c) => c.check === 'decisions_without_action')?.count).toBe(192);

    const drift = await runCli(
      [
        'analyze',
        'drift',
        '--model',
        'credit',
        '--model-version',
        '2',
        '--reference-version',
        '1',
        ...store.args,
      ],
      { cwd },
    );
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.stdout).toMatch(/^Findings: none\.\n\nfield\s+method\s+value/);

    const server = await startServerOn(store);
    try {
      const spike = await runCli(
        [
          'analyze',
          'anomalies',
          '--url',
          server.url,
          '--model',
          'credit',
          '--metric',
          'escalation_rate',
          '--from',
          '2026-02-15T00:00:00Z',
          '--to',
          '2026-02-16T00:00:00Z',
          '--baseline-from',
          '2026-02-01T00:00:00Z',
        ],
        { cwd },
      );
      expect(spike.code, spike.stderr).toBe(0);
      expect(spike.stdout).toMatch(/escalation_rate spiked in the day from 2026-02-15/);
      const bad = await runCli(
        ['analyze', 'fairness', '--url', server.url, '--model', 'credit', '--bucket', 'day'],
        { cwd },
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/bucket/);
    } finally {
      await server.stop();
    }
  });
});
