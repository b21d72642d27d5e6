// Worker-thread entry for `declog verify --db`: reads stored rows through its own read-only
// connection and checks them (canonical form, seq, leaf hash against the stored one), so the
// main thread only rebuilds the tree.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadonlyDatabase, openReadonlyStore } from '../../store/open-store.js';
import { checkRowsOf } from '../../services/ledger/check-rows.js';
import { checkedRowsMessage } from './checked-rows-message.js';

const port = parentPort;
if (!port) throw new Error('check-rows-worker must run in a worker thread');
const { location, logId } = workerData as { location: string; logId?: string };
const store =
  logId === undefined
    ? openReadonlyStore(location)
    : openReadonlyDatabase(location).then((database) => database.log(logId));
const checkRows = store.then(checkRowsOf);
// Until this is heard, the main thread checks whole pages itself.
void checkRows.then(() => port.postMessage({ started: true }));

port.on('message', (request: { id: number; position: number; count: number }) => {
  void checkRows.then(async (check) => {
    const { message, transfer } = checkedRowsMessage(await check(request.position, request.count));
    port.postMessage({ id: request.id, ...message }, [transfer]);
  });
});
