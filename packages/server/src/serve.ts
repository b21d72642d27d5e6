import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore } from '@declog/core';
import { availableParallelism } from 'node:os';
import { buildApp } from './http/build-app.js';
import { createPreparePool } from './services/prepare-pool.js';
import { checkReadStore } from './services/ledger/check-read-store.js';
import { issueCheckpoint } from './services/ledger/issue-checkpoint.js';
import { startCheckpointer } from './services/ledger/checkpointer.js';
import type { LogIdentity } from './services/ledger/log-identity.js';

export interface ServeOptions {
  /** Where events are appended and checkpoints signed; also read unless `readStore` is given. */
  readonly store: EventStore;
  /**
   * A read replica of `store`, opened read-only, that answers the read endpoints; it must hold
   * the same log (checked at start). Closed with the server.
   */
  readonly readStore?: EventStore;
  readonly identity: LogIdentity;
  readonly host: string;
  readonly port: number;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** How often to sign a checkpoint when the log has grown (ms); 250 keeps the 1 s promise. */
  readonly checkpointIntervalMs?: number;
  /**
   * Worker threads that parse and validate ingest bodies while the main thread writes; 0 does
   * it all on the main thread. Defaults to one less than the cores, at least 1, at most 4.
   */
  readonly prepareThreads?: number;
  readonly logError?: (error: unknown) => void;
  /** Operational news, such as the store becoming unavailable and available again. */
  readonly logNotice?: (message: string) => void;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The composition root of the server: the only place where store, clock, ids and keys meet. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const now = options.now ?? (() => new Date());
  const logError = options.logError ?? (() => undefined);
  const { store, readStore, identity } = options;
  if (readStore) await checkReadStore(readStore, identity);
  const checkpointDeps = { store, identity, now };
  await issueCheckpoint(checkpointDeps);
  // Worker threads start once the checks above have passed: a failed start must not leave
  // them running.
  const threads = options.prepareThreads ?? Math.min(4, Math.max(1, availableParallelism() - 1));
  const pool = threads > 0 ? createPreparePool(threads) : null;
  const app = buildApp({
    ...(pool ? { prepare: pool.prepare } : {}),
    ...(readStore ? { readStore } : {}),
    store,
    identity,
    now,
    newId: options.newId ?? uuidv7,
    logError,
  });
  const checkpointer = startCheckpointer(checkpointDeps, {
    intervalMs: options.checkpointIntervalMs ?? 250,
    logError,
    logNotice: options.logNotice ?? (() => undefined),
  });

  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    // Otherwise the checkpoint timer keeps a server that never started running forever.
    await checkpointer.stop();
    await app.close();
    await pool?.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      await checkpointer.stop();
      await app.close();
      await pool?.close();
      // The last acknowledged events get their checkpoint before the store closes.
      await issueCheckpoint(checkpointDeps).catch(logError);
      await store.close();
      await readStore?.close();
    },
  };
}
