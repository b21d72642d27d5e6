// Worker-thread entry for `declog verify --db`: reads stored rows through its own read-only
// connection and checks them (parse, canonical form, seq, leaf hash), so the main thread
// only compares leaf hashes and rebuilds the tree.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { checkRowsOf } from '../../services/ledger/check-rows.js';

const port = parentPort;
if (!port) throw new Error('check-rows-worker must run in a worker thread');
const checkRows = checkRowsOf(
  openSqliteStore((workerData as { path: string }).path, { readonly: true }),
);

port.on('message', (request: { id: number; position: number; count: number }) => {
  void checkRows(request.position, request.count).then((checked) =>
    port.postMessage({ id: request.id, ...checked }),
  );
});
