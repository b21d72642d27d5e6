import type { EmbeddedLog } from 'declog/embedded';
import type { EventRecord } from '../internal/event-record.js';
import { refusalOutcome } from '../internal/refusal-outcome.js';
import type { SendOutcome, Transport } from '../internal/transport.js';

export interface EmbeddedTransportOptions {
  /** The SQLite database file. */
  readonly db: string;
  readonly tenant: string | undefined;
  readonly masterKeyFile: string | undefined;
  /** The master key's text; `$DECLOG_MASTER_KEY` when neither it nor the file is given. */
  readonly masterKey: string | undefined;
}

/**
 * Batches stored in a database of the process's own, by the server's code (`declog/embedded`,
 * the `declog` package): the one ingest service on a thread that owns the database, answering
 * as `POST /v1/events` would. Loaded with import() only when `db` is given, so the HTTP path
 * never loads the server. The database is opened at once; if it cannot be, every batch is
 * answered `db_unavailable` and the next one tries again.
 */
export function embeddedTransport(options: EmbeddedTransportOptions): Transport {
  const from = `the database at ${options.db}`;
  let opening: Promise<EmbeddedLog> | undefined;
  const open = () => {
    opening = import('declog/embedded').then(
      ({ openEmbeddedLog }) =>
        openEmbeddedLog({
          db: options.db,
          tenant: options.tenant,
          masterKeyFile: options.masterKeyFile,
          masterKey:
            options.masterKeyFile === undefined
              ? (options.masterKey ?? process.env['DECLOG_MASTER_KEY'])
              : undefined,
        }),
      (cause: unknown) => {
        throw new Error(
          `embedded mode needs the declog package beside @declog/sdk (npm install declog): ${describe(cause)}`,
          { cause },
        );
      },
    );
    // A failure is reported by the send that meets it.
    opening.catch(() => undefined);
    return opening;
  };
  open();
  return {
    async send(batch: readonly EventRecord[]): Promise<SendOutcome> {
      let log: EmbeddedLog;
      try {
        log = await (opening ?? open());
      } catch (cause) {
        opening = undefined;
        return {
          kind: 'retry',
          report: 'db_unavailable',
          message: `cannot open ${from}: ${describe(cause)}`,
          cause,
        };
      }
      const answer = await log.ingest(batch.map((record) => record.json));
      if (log.stopped) opening = undefined;
      if (answer.ok) {
        return { kind: 'stored', created: answer.created, duplicates: answer.duplicates };
      }
      return refusalOutcome({
        status: answer.status,
        code: answer.code,
        message: answer.message,
        issues: answer.details,
        from,
      });
    },
    async close() {
      const log = await opening?.catch(() => undefined);
      opening = undefined;
      await log?.close().catch(() => undefined);
    },
  };
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
