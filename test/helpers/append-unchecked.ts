import { join } from 'node:path';
import {
  DEFAULT_TENANT,
  decisionLogId,
  encodeEvent,
  prepareEncoded,
  type Event,
  type IdentifiedEvent,
} from '@declog/core';
import { openMasterKey } from '../../packages/server/src/cli/master-key-option.js';
import { sealingKeySource } from '../../packages/server/src/services/ingest/sealing-keys.js';
import {
  decisionSealing,
  sealHook,
  subjectsToSeal,
} from '../../packages/server/src/services/ingest/seal-hook.js';
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
    const encoded = events.map((event) => encodeEvent(event as Event, () => event.id));
    const sealing = decisionSealing([]);
    const keys = await sealingKeySource(database.governance, ring).forBatch(
      DEFAULT_TENANT,
      subjectsToSeal(encoded, sealing),
    );
    const prepared = encoded.map((event) => prepareEncoded(event, sealHook(keys.keys, sealing)));
    const log = await database.log(decisionLogId(DEFAULT_TENANT));
    const result = await log.append(prepared, new Date().toISOString(), { sealing: keys.sealing });
    if (!result.ok) throw new Error(`the events were not appended: ${JSON.stringify(result)}`);
  } finally {
    await database.close();
  }
}
