import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore } from '@declog/core';
import { buildApp } from './http/build-app.js';

export interface ServeOptions {
  readonly store: EventStore;
  readonly host: string;
  readonly port: number;
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly logError?: (error: unknown) => void;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The composition root of the server: the only place where store, clock and ids are chosen. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const app = buildApp({
    store: options.store,
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? uuidv7,
    ...(options.logError ? { logError: options.logError } : {}),
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      await app.close();
      await options.store.close();
    },
  };
}
