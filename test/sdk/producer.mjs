// A producer process for the SDK's fault tests: imports the built @declog/sdk as a user would.
// Argument: JSON {url, apiKey, count, prefix, flushEvery?, paceEvery?, paceMs?, options?,
// fixedTimes?}; with fixedTimes, event i happened at a set time, so a rerun logs the same content.
// Prints `durable N` each time a flush after N events resolves, every onError as
// `error {"code", "eventIds", "message"}`, and `stats {...}` after close.
import { setTimeout as sleep } from 'node:timers/promises';
import { createDecisionLog } from '@declog/sdk';

const config = JSON.parse(process.argv[2] ?? '{}');
const print = (line) => process.stdout.write(`${line}\n`);
const log = createDecisionLog({
  url: config.url,
  apiKey: config.apiKey,
  ...config.options,
  onError: (error) =>
    print(
      `error ${JSON.stringify({ code: error.code, eventIds: error.eventIds, message: error.message })}`,
    ),
});

for (let i = 0; i < (config.count ?? 0); i += 1) {
  log.decision({
    id: `${config.prefix}-${i}`,
    ...(config.fixedTimes && { occurred_at: Date.UTC(2026, 0, 1) + i }),
    model: { name: 'fault-test', version: '1' },
    prediction: { label: i % 3 === 0 ? 'decline' : 'approve', score: (i % 100) / 100 },
    rationale: { summary: `decision ${i} of a fault test`, reasons: [{ code: `r${i % 7}` }] },
    labels: { run: config.prefix },
  });
  if (config.flushEvery && (i + 1) % config.flushEvery === 0) {
    await log.flush();
    print(`durable ${i + 1}`);
  }
  if (config.paceEvery && (i + 1) % config.paceEvery === 0) await sleep(config.paceMs ?? 10);
}
await log.close();
print(`stats ${JSON.stringify(log.stats())}`);
