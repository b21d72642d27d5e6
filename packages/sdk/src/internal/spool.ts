import type { DecisionLogError } from '../decision-log-error.js';
import type { EventRecord } from './event-record.js';

/** A batch read back from the spool, to acknowledge once the server has it. */
export interface SpooledBatch {
  readonly records: readonly EventRecord[];
  /** Which record of the spool this is (opaque to the delivery loop). */
  readonly position: unknown;
}

/**
 * Durable first-in first-out storage of batches (Node: `node/file-spool.ts`). Every method
 * settles in order of call. `append` rejects with a DecisionLogError `spool_full` when the
 * batch does not fit; nothing of it is then kept.
 */
export interface Spool {
  /** Events written and not yet acknowledged. */
  readonly pendingEvents: number;
  /** Bytes the spool's files take. */
  readonly bytes: number;
  append(records: readonly EventRecord[]): Promise<void>;
  /** The oldest batch not yet acknowledged. */
  peek(): Promise<SpooledBatch | undefined>;
  /** Marks the oldest batch delivered (or dead-lettered); its space is freed. */
  ack(batch: SpooledBatch): Promise<void>;
  close(): Promise<void>;
}

/** One event the server refused for good, with the server's reasons. */
export interface DeadLetter {
  readonly record: EventRecord;
  readonly error: DecisionLogError;
}

/** Where refused events are kept (Node: a file of JSON lines). */
export interface DeadLetterSink {
  write(letters: readonly DeadLetter[]): Promise<void>;
}

/** What opening the Node-only storage gives the delivery loop. */
export interface DurableStorage {
  readonly spool: Spool;
  readonly deadLetters: DeadLetterSink;
  /** Problems found while opening (torn writes, corrupt records), already set aside. */
  readonly problems: readonly DecisionLogError[];
}
