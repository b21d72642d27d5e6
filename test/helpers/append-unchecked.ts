import { join } from 'node:path';
import {
  DEFAULT_TENANT,
  decisionLogId,
  prepareEvent,
  type Event,
  type IdentifiedEvent,
} from '@declog/core';
import { openMasterKey } from '../../packages/server/src/cli/master-key-option.js';
import { appendPrepared } from '../../packages/server/src/services/ingest-events.js';
import {
  sealPersonalEvents,
  tenantSealing,
} from '../../packages/server/src/services/privacy/seal-events.js';
import { subjectKeys } from '../../packages/server/src/services/privacy/subject-keys.js';
import { openDatabase } from '../../packages/server/src/store/open-store.js';
import type { TestStore } from './test-store.js';

/**
 * Appends events to the default tenant's log without checking them against today's event
 * contract, as an older declog stored events that the contract now refuses (one nested
 * deeper than the depth limit, say): each is prepared, and sealed when a decision names a
 * subject, the way the server prepares and seals what it accepts. The log's master key must
 * exist: start a server on the store first.
 */
export async function appendUnchecked(
  store: TestStore,
  events: readonly IdentifiedEvent[],
): Promise<void> {
  const database = await openDatabase(store.location);
  try {
    const masterKeyFile = store.location.startsWith('postgres')
      ? join(store.cwd, 'declog-master.key')
      : `${store.location.slice('sqlite:'.length)}.master-key`;
    const ring = await openMasterKey(database.governance, store.location, masterKeyFile, {});
    if (!ring) throw new Error('the test log has no master key');
    const now = () => new Date();
    const sealing = tenantSealing(subjectKeys(database.governance, ring, now), DEFAULT_TENANT);
    const prepared = events.map((event) => prepareEvent(event as Event, () => event.id));
    const sealed = await sealPersonalEvents(prepared, sealing, events);
    const log = await database.log(decisionLogId(DEFAULT_TENANT));
    await appendPrepared({ store: log, now }, sealed);
  } finally {
    await database.close();
  }
}
