import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { runCli } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';

/**
 * The worked example of docs/analytics.md is what the built CLI prints on the log generated
 * here: 100 decisions a day, scores up by 0.2 and ARREARS cited four times as often from 15
 * January.
 */

const tmp = useTempDir('analytics-doc');
afterAll(killChildProcesses);

function exampleLog(): string {
  let state = 20261208 >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const lines: string[] = [];
  let n = 0;
  for (let d = 1; d <= 21; d += 1) {
    for (let i = 0; i < 100; i += 1) {
      const planted = d >= 15;
      const score = Math.min(0.999, Math.max(0.001, 0.4 + 0.12 * normal() + (planted ? 0.2 : 0)));
      const reasons = [{ code: 'INCOME' }];
      if (next() < (planted ? 0.45 : 0.1)) reasons.push({ code: 'ARREARS' });
      if (next() < 0.3) reasons.push({ code: 'TENURE' });
      const at = new Date(
        Date.parse('2026-01-01T00:00:00Z') + (d - 1) * 86_400_000 + ((i % 20) + 1) * 3_600_000,
      ).toISOString();
      lines.push(
        JSON.stringify({
          id: `d-${(n += 1)}`,
          type: 'decision',
          occurred_at: at,
          model: { name: 'credit-limit', version: '4.2.0' },
          prediction: { label: score >= 0.5 ? 'approve' : 'decline', score },
          rationale: { summary: 'scored', reasons },
          input: { features: { income: Math.round(50_000 + 12_000 * normal()) } },
        }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('docs/analytics.md', () => {
  it('shows what declog analyze drift prints on the example log', async () => {
    const doc = readFileSync(new URL('../docs/analytics.md', import.meta.url), 'utf8');
    const block = /```\n\$ (declog analyze drift [^\n]*\\\n[^\n]*)\n([\s\S]*?)```/.exec(doc);
    if (!block) expect.fail('the worked example is missing');
    const args = (block[1] as string)
      .replace(/\\\n/, ' ')
      .split(/\s+/)
      .filter((a) => a !== '')
      .slice(1);
    const events = tmp.file('example.ndjson');
    writeFileSync(events, exampleLog());
    const db = tmp.file('example.db');
    const ingest = await runCli(['ingest', events, '--db', db]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const shown = await runCli([...args, '--db', db]);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toBe(block[2]);
  });
});
