// Embedded-log thread: the database of a process that logs its decisions itself (the SDK's
// embedded mode). Parsing, the contract, masking, sealing and the append all run here, through
// the one ingest service, so the producer's thread only posts lines and reads the answer.
import { parentPort, workerData } from 'node:worker_threads';
import { openLocalClient } from '../client/open-local-client.js';
import type { LogClient } from '../client/log-client.js';
import type {
  EmbeddedLogData,
  EmbeddedLogReady,
  EmbeddedLogReply,
  EmbeddedLogRequest,
} from './embedded-log-protocol.js';
import { failureOf } from './writer-failure.js';

if (!parentPort) throw new Error('embedded-log-thread must run in a worker thread');
const port = parentPort;
const data = workerData as EmbeddedLogData;

let client: LogClient | null = null;
try {
  client = await openLocalClient({ ...data, access: 'write' });
  port.postMessage({ ready: true } satisfies EmbeddedLogReady);
} catch (error) {
  // With nothing left listening, the thread ends once the message is sent.
  port.postMessage({ ready: false, error: failureOf(error) } satisfies EmbeddedLogReady);
  port.close();
}
if (client !== null) serve(client);

/** Answers requests one at a time, in the order they came, until the log is closed. */
function serve(log: LogClient): void {
  let previous: Promise<unknown> = Promise.resolve();
  const handle = async (request: EmbeddedLogRequest): Promise<EmbeddedLogReply> => {
    if (request.kind === 'close') {
      await log.close();
      // The port closes once the reply is on its way: the thread then ends.
      setImmediate(() => port.close());
      return { id: request.id, ok: true, created: 0, duplicates: 0 };
    }
    const items = await log.ingest(request.lines);
    const duplicates = items.filter((item) => item.status === 'duplicate').length;
    return { id: request.id, ok: true, created: items.length - duplicates, duplicates };
  };
  port.on('message', (request: EmbeddedLogRequest) => {
    previous = previous
      .then(() => handle(request))
      .catch((error: unknown) => ({ id: request.id, ok: false, error: failureOf(error) }) as const)
      .then((reply) => port.postMessage(reply satisfies EmbeddedLogReply));
  });
}
