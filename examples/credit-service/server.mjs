// The credit service as a small HTTP service: trains its model at start-up, then
//   POST /applications            {"customer", "region", "features": {...}}  -> the verdict and ids
//   POST /decisions/ID/outcome    {"action_id", "repaid": true|false, "amount"} -> the outcome id
// and logs every decision, action and outcome to declog through @declog/sdk.
//
//   DECLOG_URL=http://127.0.0.1:7300 DECLOG_API_KEY=... node examples/credit-service/server.mjs [--port 8080]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createDecisionLog } from '@declog/sdk';
import { createCreditService } from './credit-service.mjs';
import { FEATURES, trainModel } from './model.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    seed: { type: 'string', default: '42' },
    'spool-dir': { type: 'string', default: './credit-service-spool' },
  },
});
const log = createDecisionLog({
  url: process.env.DECLOG_URL ?? 'http://127.0.0.1:7300',
  apiKey: process.env.DECLOG_API_KEY ?? '',
  spoolDir: values['spool-dir'],
  onError: (error) => console.error(`declog: ${error.code}: ${error.message}`),
});
const model = trainModel({ seed: Number(values.seed) });
const service = createCreditService({ log, model });
console.log(`model ${model.version} trained, accuracy ${(model.accuracy * 100).toFixed(1)}%`);

const server = createServer(async (req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  let body;
  try {
    let text = '';
    for await (const chunk of req) text += chunk;
    body = JSON.parse(text || '{}');
  } catch {
    return reply(400, { error: 'the body is not JSON' });
  }
  try {
    if (req.method === 'POST' && req.url === '/applications') {
      const missing = FEATURES.map((f) => f.name).filter(
        (name) => typeof body.features?.[name] !== 'number',
      );
      if (missing.length > 0 || typeof body.features?.amount !== 'number') {
        return reply(400, { error: `features need numbers: ${[...missing, 'amount'].join(', ')}` });
      }
      const application = {
        customer: String(body.customer ?? 'anonymous'),
        region: String(body.region ?? 'unknown'),
        features: body.features,
      };
      return reply(200, service.assess(application, { at: new Date() }));
    }
    const outcome = /^\/decisions\/([^/]+)\/outcome$/.exec(req.url ?? '');
    if (req.method === 'POST' && outcome) {
      const id = service.reportOutcome(decodeURIComponent(outcome[1]), {
        at: new Date(),
        actionId: body.action_id,
        repaid: body.repaid === true,
        amount: Number(body.amount) || undefined,
      });
      return reply(200, { outcome_id: id });
    }
    return reply(404, { error: 'no such route' });
  } catch (error) {
    // The SDK throws only for an event that breaks the contract: a bad request here.
    return reply(400, { error: error instanceof Error ? error.message : String(error) });
  }
});
server.listen(Number(values.port), () =>
  console.log(`credit service on http://127.0.0.1:${values.port}`),
);
process.once('SIGINT', () => server.close(() => void log.close()));
process.once('SIGTERM', () => server.close(() => void log.close()));
