import type { Transport } from './transport.js';

/**
 * A transport whose code is still loading (with import()): batches wait for it. If it cannot be
 * loaded, every batch is to be tried again, reported as `report` says.
 */
export function deferredTransport(
  loading: Promise<Transport>,
  report: 'db_unavailable',
  what: string,
): Transport {
  const settled = loading.then(
    (transport) => ({ transport, cause: undefined }),
    (cause: unknown) => ({ transport: undefined, cause }),
  );
  return {
    async send(batch) {
      const { transport, cause } = await settled;
      if (transport !== undefined) return transport.send(batch);
      const why = cause instanceof Error ? cause.message : String(cause);
      return { kind: 'retry', report, message: `${what} could not be loaded: ${why}`, cause };
    },
    async close() {
      await (await settled).transport?.close();
    },
  };
}
