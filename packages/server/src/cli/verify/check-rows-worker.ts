// Worker-thread entry for `declog verify --db`: reads stored rows through its own read-only
// connection and checks them (canonical form, seq, leaf hash against the stored one, and what
// the store keeps beside them), so the main thread only rebuilds the tree. Also sums the
// stored side of the log-wide index comparisons when asked (`totals`), on a thread of its own.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadonlyDatabase } from '../../store/open-store.js';
import { checkRowsOf } from '../../services/ledger/check-rows.js';
import { storedIndexTotals } from '../../services/ledger/index-totals.js';
import { checkedRowsMessage } from './checked-rows-message.js';
import { openIndexAudit, type IndexAuditSettings } from './index-audit-settings.js';

const port = parentPort;
if (!port) throw new Error('check-rows-worker must run in a worker thread');
const { location, audit } = workerData as {
  location: string;
  audit: IndexAuditSettings & { readonly checkIndex: boolean };
};
const opened = openReadonlyDatabase(location).then(async (database) => {
  const store = await database.log(audit.logId);
  const index = audit.checkIndex
    ? await openIndexAudit(location, audit, database.governance)
    : undefined;
  return { store, index, check: checkRowsOf(store, index) };
});
// Until this is heard, the main thread checks whole pages itself.
void opened.then(() => port.postMessage({ started: true }));

port.on('message', (request: { id: number; position: number; count: number; totals?: number }) => {
  void opened.then(async ({ index, check }) => {
    if (request.totals !== undefined) {
      if (!index) throw new Error('no index audit to sum totals for');
      const totals = await storedIndexTotals(index.reader, index.key, request.totals);
      port.postMessage({ id: request.id, totals });
      return;
    }
    const { message, transfer } = checkedRowsMessage(await check(request.position, request.count));
    port.postMessage({ id: request.id, ...message }, [transfer]);
  });
});
