import { writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent } from './helpers/event-factory.js';
import { runCli } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';

const tmp = useTempDir('known-bug-lines');
afterAll(killChildProcesses);

// A malformed line is reported with its line number in the input only; once its message also
// named its line within a batch ("line 5: (event): line 1 is not valid JSON").
it('names only the line number in the file for a malformed line in a later batch', async () => {
  const file = tmp.file('input.ndjson');
  const lines = [decisionEvent(), decisionEvent(), decisionEvent(), decisionEvent()];
  const text = lines.map((e) => JSON.stringify(e));
  text.splice(4, 0, '{"broken": ');
  writeFileSync(file, `${text.join('\n')}\n`);
  const result = await runCli(['ingest', file, '--db', tmp.file('log.db'), '--batch-size', '2']);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^line 5: .*not valid JSON/m);
  expect(result.stderr).not.toMatch(/^line 5: .*line (?!5\b)\d+ is not valid JSON/m);
});
