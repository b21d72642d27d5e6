import { DecisionLogError } from './decision-log-error.js';
import type { DecisionLogOptions } from './decision-log-options.js';
import type {
  ActionInput,
  AnnotationInput,
  DecisionInput,
  DecisionLog,
  EnvelopeInput,
  OccurredAt,
} from './decision-log.js';
import { activeTraceId } from './internal/active-trace-id.js';
import { deferredTransport } from './internal/deferred-transport.js';
import { Delivery } from './internal/delivery.js';
import { eventEncoder } from './internal/event-encoder.js';
import { httpTransport } from './internal/http-transport.js';
import { resolveOptions, type ResolvedOptions } from './internal/resolve-options.js';
import type { DurableStorage } from './internal/spool.js';
import { unrefTimers } from './internal/timers.js';
import type { Transport } from './internal/transport.js';
import { uuidV7Generator } from './internal/uuid-v7.js';

/**
 * Opens a producer's decision log: events are checked and queued at once, and sent in batches
 * in the background, with retries, a disk spool (Node, with `spoolDir`) and a dead-letter file.
 * With `db` instead of `url` and `apiKey` (embedded mode, Node), events are stored in that
 * SQLite file by the server's own code (the `declog` package), with the same batching.
 *
 * @example
 * const log = createDecisionLog({ url: 'http://127.0.0.1:7300', apiKey, spoolDir: './spool' });
 * const id = log.decision({ model, prediction, rationale });
 *
 * @throws DecisionLogError `invalid_options`, or `embedded_unavailable` for `{ db }` outside Node.
 */
export function createDecisionLog(options: DecisionLogOptions): DecisionLog {
  const settings = resolveOptions(options, isNode());
  const now = options.now ?? Date.now;
  const newId = options.newId ?? uuidV7Generator(now);
  const traceId = activeTraceId(options.opentelemetry ?? true);
  const encode = eventEncoder(options.masking);
  const onError = options.onError;
  const report = (error: DecisionLogError) => {
    if (onError === undefined) return;
    try {
      onError(error);
    } catch {
      // A throwing handler must not stop delivery.
    }
  };
  const delivery = new Delivery({
    transport:
      settings.db === undefined
        ? httpTransport({
            url: settings.url,
            apiKey: settings.apiKey,
            tenant: settings.tenant,
            requestTimeoutMs: settings.requestTimeoutMs,
            fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
            now,
            headers: options.headers ?? {},
          })
        : openEmbedded(settings.db, settings),
    storage: openStorage(settings, now),
    batch: settings,
    maxQueueEvents: settings.maxQueueEvents,
    maxQueueBytes: settings.maxQueueBytes,
    overflow: settings.overflow,
    spoolMode: settings.spoolMode,
    flushIntervalMs: settings.flushIntervalMs,
    maxInFlight: settings.maxInFlight,
    backoff: { baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.retryMaxDelayMs },
    random: options.random ?? Math.random,
    timers: unrefTimers,
    report,
  });
  let closing: Promise<void> | undefined;
  let detachExit: (() => void) | undefined;

  const accept = (event: Record<string, unknown>): string => {
    if (closing !== undefined) {
      throw new DecisionLogError('closed', 'this decision log is closed; create another');
    }
    const record = encode(event);
    delivery.accept(record);
    return record.id;
  };
  const envelope = (input: EnvelopeInput, type: string) => ({
    id: input.id ?? newId(),
    type,
    occurred_at: timestamp(input.occurred_at, now),
  });

  const log: DecisionLog = {
    decision(input: DecisionInput) {
      const event: Record<string, unknown> = { ...input, ...envelope(input, 'decision') };
      if (input.context?.trace_id === undefined) {
        const trace = traceId();
        if (trace !== undefined) event['context'] = { ...input.context, trace_id: trace };
      }
      return accept(event);
    },
    action(decisionId, input: ActionInput) {
      const { id: _id, occurred_at: _at, ...action } = input;
      return accept({ ...envelope(input, 'action'), decision_id: decisionId, action });
    },
    outcome(decisionId, input) {
      const { id: _id, occurred_at: _at, ...outcome } = input;
      return accept({ ...envelope(input, 'outcome'), decision_id: decisionId, outcome });
    },
    annotate(decisionId, input: AnnotationInput) {
      const { id: _id, occurred_at: _at, ...annotation } = input;
      return accept({ ...envelope(input, 'annotation'), decision_id: decisionId, annotation });
    },
    flush: (wait) => delivery.flush(wait?.timeoutMs),
    close(wait) {
      closing ??= (async () => {
        detachExit?.();
        await delivery.close(wait?.timeoutMs ?? settings.closeTimeoutMs);
      })();
      return closing;
    },
    stats: () => delivery.stats(),
  };
  if (isNode()) {
    // A process whose work is done flushes before it exits (Node's beforeExit), bounded.
    void import('./node/exit-flush.js').then(
      ({ flushBeforeExit }) => {
        if (closing === undefined) detachExit = flushBeforeExit(() => log.close());
      },
      () => undefined,
    );
  }
  return log;
}

/** Embedded mode's transport, loaded only for `db`: the HTTP path never loads the server. */
function openEmbedded(db: string, settings: ResolvedOptions): Transport {
  return deferredTransport(
    import('./node/embedded-transport.js').then(({ embeddedTransport }) =>
      embeddedTransport({
        db,
        tenant: settings.tenant,
        masterKey: settings.masterKey,
        masterKeyFile: settings.masterKeyFile,
      }),
    ),
    'db_unavailable',
    'embedded mode',
  );
}

function openStorage(
  settings: ResolvedOptions,
  now: () => number,
): Promise<DurableStorage | undefined> {
  const dir = settings.spoolDir;
  if (dir === undefined) return Promise.resolve(undefined);
  // Loaded only when asked for, so the HTTP path runs where node:fs does not exist.
  return import('./node/open-durable-storage.js').then(({ openDurableStorage }) =>
    openDurableStorage({
      dir,
      maxBytes: settings.spoolMaxBytes,
      segmentBytes: settings.spoolSegmentBytes,
      deadLetterFile: settings.deadLetterFile,
      now,
    }),
  );
}

function timestamp(at: OccurredAt | undefined, now: () => number): string {
  if (at === undefined) return new Date(now()).toISOString();
  if (typeof at === 'string') return at;
  const date = typeof at === 'number' ? new Date(at) : at;
  // An invalid Date is left for the contract to refuse, with its path and wording.
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
}

function isNode(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process
    ?.versions;
  return typeof versions?.node === 'string';
}
