import { DecisionLogError, isDecisionLogError } from '../decision-log-error.js';
import type { DecisionLogStats } from '../decision-log-stats.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { BatchQueue, type BatchLimits } from './batch-queue.js';
import { deadLetters } from './dead-letters.js';
import type { EventRecord } from './event-record.js';
import { HeldBatches } from './held-batches.js';
import type { DeadLetterSink, DurableStorage, Spool, SpooledBatch } from './spool.js';
import type { Timers } from './timers.js';
import type { SendOutcome, Transport } from './transport.js';
import { Waiters } from './waiters.js';

/** What happens to an event that arrives while the memory queue is full. */
export type OverflowPolicy = 'spool' | 'drop' | 'block';

export interface DeliveryOptions {
  readonly transport: Transport;
  /** The spool and dead-letter file, still opening; undefined without a spoolDir. */
  readonly storage: Promise<DurableStorage | undefined>;
  readonly batch: BatchLimits;
  readonly maxQueueEvents: number;
  readonly maxQueueBytes: number;
  readonly overflow: OverflowPolicy;
  /** `always`: every batch is spooled before it is sent (survives a producer crash). */
  readonly spoolMode: 'overflow' | 'always';
  readonly flushIntervalMs: number;
  /** Requests in flight at once (memory batches; the spool is replayed one batch at a time). */
  readonly maxInFlight: number;
  readonly backoff: BackoffPolicy;
  readonly random: () => number;
  readonly timers: Timers;
  readonly report: (error: DecisionLogError) => void;
}

type RetryOutcome = Extract<SendOutcome, { kind: 'retry' }>;

/** Where the events of a batch being sent came from: the memory queue or the spool. */
type Source =
  { readonly kind: 'memory' } | { readonly kind: 'spool'; readonly batch: SpooledBatch };

/**
 * The delivery loop: cuts the memory queue into batches on a timer, sends them (up to
 * `maxInFlight` requests at once while the server keeps up, one while it fails), retries with
 * backoff, moves batches to the spool while the server cannot take them (and
 * replays the spool, oldest first, before anything newer), splits refused batches and
 * dead-letters only the refused events. Nothing here throws into the producer: every problem
 * is counted and reported.
 */
export class Delivery {
  private readonly queue: BatchQueue;
  /** Memory batches cut and waiting for a retry or a resend. */
  private readonly held = new HeldBatches();
  private storage: DurableStorage | undefined;
  private storageReady = false;
  /** Delivery loops running: at most maxInFlight, each with one request in flight. */
  private workers = 0;
  /** A loop is sending the spool's oldest batch: the spool goes one batch at a time. */
  private spoolBusy = false;
  private readonly wakers = new Set<() => void>();
  private spilling = false;
  private spoolRefusing = false;
  private timer: unknown;
  /** The pending timer runs the loop at once (a full batch): later kicks change nothing. */
  private timerUrgent = false;
  private failures = 0;
  private stopped = false;
  private forced = 0;
  private inFlight = 0;
  private readonly waiters: Waiters;
  private spillTimer: unknown;
  private droppedIds: string[] = [];
  private blockReported = false;
  /** Events of the spool's head batch already settled, so a resend skips them. */
  private headSettled: { position: unknown; ids: Set<string> } | undefined;
  private readonly counts = {
    sent: 0,
    retried: 0,
    spooled: 0,
    replayed: 0,
    dropped: 0,
    rejected: 0,
  };

  constructor(private readonly options: DeliveryOptions) {
    this.queue = new BatchQueue(options.batch);
    this.waiters = new Waiters(options.timers);
    void options.storage.then(
      (storage) => {
        this.storage = storage;
        this.storageReady = true;
        for (const problem of storage?.problems ?? []) options.report(problem);
        if ((storage?.spool.pendingEvents ?? 0) > 0) this.kick(0);
      },
      (cause: unknown) => {
        this.storageReady = true;
        options.report(
          isDecisionLogError(cause)
            ? cause
            : new DecisionLogError(
                'spool_unavailable',
                `the spool could not be opened: ${String(cause)}`,
                { cause },
              ),
        );
        this.kick(0);
      },
    );
  }

  /** Takes one accepted event. No I/O and no waiting: the timers send it. */
  accept(record: EventRecord): void {
    if (this.isFull()) {
      const { overflow, maxQueueEvents, maxQueueBytes } = this.options;
      // With a spool, memory may hold twice its limit while the spool catches up.
      const hardLimit =
        this.memoryEvents() >= 2 * maxQueueEvents || this.memoryBytes() >= 2 * maxQueueBytes;
      if (overflow === 'drop' || (overflow === 'spool' && hardLimit)) {
        this.drop(record);
        return;
      }
      if (overflow === 'block' && !this.blockReported) {
        this.blockReported = true;
        this.options.report(
          new DecisionLogError(
            'queue_full',
            `${this.memoryEvents()} events wait in memory (maxQueueEvents ${maxQueueEvents}): the server is not keeping up; with overflow 'block' the queue grows until it does`,
          ),
        );
      }
    }
    this.queue.push(record);
    const urgent = this.queue.hasFullBatch() || this.isFull();
    this.kick(urgent ? 0 : this.options.flushIntervalMs);
    if (this.mustSpill()) this.scheduleSpill(urgent ? 0 : this.options.flushIntervalMs);
  }

  stats(): DecisionLogStats {
    return {
      queued: this.memoryEvents() + this.inFlight,
      ...this.counts,
      spoolPending: this.spool()?.pendingEvents ?? 0,
      spoolBytes: this.spool()?.bytes ?? 0,
    };
  }

  /**
   * Sends what is queued now and resolves once nothing is left in memory: every event is
   * acknowledged, dead-lettered or dropped, or, while the server cannot be reached, safe in the
   * spool. Without a spool it waits for the server, up to `timeoutMs`.
   */
  async flush(timeoutMs = Number.POSITIVE_INFINITY, delivered = false): Promise<boolean> {
    this.forced += 1;
    try {
      this.kick(0);
      return await this.waiters.until(() => this.drained(delivered), timeoutMs);
    } finally {
      this.forced -= 1;
    }
  }

  /**
   * Tries to deliver everything, the spool included; after `timeoutMs` without progress (while
   * the server keeps acknowledging batches close keeps waiting), spools or drops what is left,
   * and stops.
   */
  async close(timeoutMs: number): Promise<void> {
    let done = false;
    for (let sent = -1; !done && sent !== this.counts.sent + this.counts.rejected;) {
      sent = this.counts.sent + this.counts.rejected;
      done = await this.flush(timeoutMs, true);
    }
    this.stopped = true;
    this.interrupt();
    this.options.timers.clear(this.timer);
    this.options.timers.clear(this.spillTimer);
    this.timer = undefined;
    this.spillTimer = undefined;
    await this.waiters.until(
      () => this.workers === 0 && !this.spilling,
      this.options.backoff.maxDelayMs,
    );
    const left = this.takeAllMemory();
    const spool = this.spool();
    if (left.length > 0 && spool !== undefined) {
      try {
        await spool.append(left);
        this.counts.spooled += left.length;
        left.length = 0;
      } catch (error) {
        this.options.report(asError(error));
      }
    }
    if (left.length > 0) {
      this.counts.dropped += left.length;
      this.options.report(
        new DecisionLogError(
          'unsent_at_close',
          `${left.length} event(s) were not delivered before close() gave up${done ? '' : ' (its timeout passed)'}; they are lost`,
          { eventIds: left.map((r) => r.id) },
        ),
      );
    }
    this.reportDrops();
    await spool?.close().catch((error: unknown) => this.options.report(asError(error)));
    await this.options.transport.close();
    this.waiters.notify();
  }

  private spool(): Spool | undefined {
    return this.storage?.spool;
  }

  private isFull(): boolean {
    return (
      this.memoryEvents() >= this.options.maxQueueEvents ||
      this.memoryBytes() >= this.options.maxQueueBytes
    );
  }

  /** Events in memory, not in flight: the queue's and the held batches'. */
  private memoryEvents(): number {
    return this.queue.events + this.held.events;
  }

  private memoryBytes(): number {
    return this.queue.bytes + this.held.bytes;
  }

  private drained(delivered: boolean): boolean {
    if (this.stopped) return true;
    if (!this.storageReady) return false;
    const memoryEmpty = this.memoryEvents() === 0 && this.inFlight === 0;
    if (!memoryEmpty || this.spilling) return false;
    const spool = this.spool();
    // While the server is away, events in the spool are as safe as they can be made.
    return spool === undefined || spool.pendingEvents === 0 || (!delivered && this.failures > 0);
  }

  /** Schedules the loop `ms` from now, unless it runs or is due sooner. */
  private kick(ms: number): void {
    if (this.stopped) return;
    if (this.workers > 0) {
      if (ms === 0) this.addWorker();
      return;
    }
    if (this.timer !== undefined) {
      // Every call of a busy producer kicks: the timer is replaced at most once.
      if (ms > 0 || this.timerUrgent) return;
      this.options.timers.clear(this.timer);
    }
    this.timerUrgent = ms === 0;
    this.timer = this.options.timers.set(
      () => {
        this.timer = undefined;
        this.startWorker();
      },
      ms,
      this.forced > 0,
    );
  }

  private scheduleSpill(ms: number): void {
    if (this.spillTimer !== undefined || this.spilling || this.stopped) return;
    this.spillTimer = this.options.timers.set(
      () => {
        this.spillTimer = undefined;
        void this.spill().then(() => this.waiters.notify());
      },
      ms,
      this.forced > 0,
    );
  }

  /** Another request goes out beside the running ones when a full batch waits, all is well. */
  private addWorker(): void {
    const spoolMode = (this.spool()?.pendingEvents ?? 0) > 0;
    const ready = this.held.events > 0 || this.queue.hasFullBatch();
    if (this.failures === 0 && !spoolMode && ready) this.startWorker();
  }

  private startWorker(): void {
    if (this.stopped || this.workers >= this.options.maxInFlight) return;
    this.workers += 1;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      await this.options.storage.catch(() => undefined);
      while (!this.stopped) {
        this.reportDrops();
        if (this.mustSpill()) await this.spill();
        const next = await this.nextBatch();
        if (next === undefined) break;
        let retry;
        try {
          retry = await this.deliver(next.records, next.source);
        } finally {
          if (next.source.kind === 'spool') this.spoolBusy = false;
        }
        if (retry === undefined) {
          this.failures = 0;
          this.blockReported = false;
          this.waiters.notify();
          continue;
        }
        this.failures += 1;
        this.counts.retried += retry.remaining.length;
        this.options.report(
          new DecisionLogError(retry.outcome.report ?? 'delivery_failed', retry.outcome.message, {
            ...(retry.outcome.status !== undefined && { status: retry.outcome.status }),
            ...(retry.outcome.code !== undefined && { serverCode: retry.outcome.code }),
            eventIds: retry.remaining.map((r) => r.id),
            cause: retry.outcome.cause,
          }),
        );
        if (next.source.kind === 'memory') await this.keepForRetry(retry.remaining);
        this.waiters.notify();
        // While the server fails, one loop retries: the others leave their batches to it.
        if (this.workers > 1) break;
        await this.sleep(
          backoffDelay(
            this.failures,
            this.options.backoff,
            this.options.random,
            retry.outcome.retryAfterMs,
          ),
        );
      }
    } catch (error) {
      this.options.report(asError(error));
    } finally {
      this.workers -= 1;
      this.waiters.notify();
    }
    // Whatever arrived meanwhile goes out on the next tick.
    const waiting = this.memoryEvents() > 0 || (this.spool()?.pendingEvents ?? 0) > 0;
    if (!this.stopped && this.workers === 0 && waiting) {
      this.kick(
        this.failures > 0 ? this.options.backoff.baseDelayMs : this.options.flushIntervalMs,
      );
    }
  }

  /** The next batch to send: the spool's oldest, a held one, then the memory queue's. */
  private async nextBatch(): Promise<
    { records: readonly EventRecord[]; source: Source } | undefined
  > {
    const spool = this.spool();
    if (spool !== undefined && spool.pendingEvents > 0) {
      // Newer batches wait behind the spool (they are spilled into it), one replay at a time.
      if (this.spoolBusy) return undefined;
      this.spoolBusy = true;
      const batch = await spool.peek().catch((error: unknown) => {
        this.spoolBusy = false;
        throw error;
      });
      if (batch === undefined) this.spoolBusy = false;
      if (batch !== undefined) {
        const head = this.headSettled;
        const settled =
          head !== undefined && head.position === batch.position ? head.ids : undefined;
        const records = settled ? batch.records.filter((r) => !settled.has(r.id)) : batch.records;
        return { records, source: { kind: 'spool', batch } };
      }
    }
    // Once running (a full batch, the interval, a flush), the loop sends what is queued, so
    // under load each request carries what arrived while the previous one was answered.
    const taken = this.held.take() ?? this.queue.take();
    if (taken === undefined) return undefined;
    this.inFlight += taken.length;
    this.addWorker();
    return { records: taken, source: { kind: 'memory' } };
  }

  /**
   * Sends `records`; on a refusal, dead-letters the events the server named and resends the
   * rest (halving a batch whose culprits it did not name). Returns what is still unsent when a
   * passing failure stops it.
   */
  private async deliver(
    records: readonly EventRecord[],
    source: Source,
  ): Promise<{ outcome: RetryOutcome; remaining: readonly EventRecord[] } | undefined> {
    const pending: (readonly EventRecord[])[] = [records];
    try {
      while (pending.length > 0) {
        const batch = pending.shift() ?? [];
        if (batch.length === 0) continue;
        const outcome = await this.options.transport.send(batch);
        if (outcome.kind === 'retry') {
          return { outcome, remaining: [...batch, ...pending.flat()] };
        }
        if (outcome.kind === 'stored') {
          this.counts.sent += batch.length;
          if (source.kind === 'spool') this.counts.replayed += batch.length;
          this.settle(source, batch);
        } else {
          const bad = new Set(
            outcome.issues.flatMap((i) =>
              i.index !== undefined && i.index < batch.length ? [i.index] : [],
            ),
          );
          if (bad.size === 0 && batch.length > 1) {
            const half = Math.ceil(batch.length / 2);
            pending.unshift(batch.slice(0, half), batch.slice(half));
            continue;
          }
          const refused = bad.size === 0 ? [0] : [...bad].sort((a, b) => a - b);
          await this.deadLetter(batch, refused, outcome);
          this.settle(
            source,
            refused.flatMap((i) => batch[i] ?? []),
          );
          const rest = batch.filter((_, i) => !refused.includes(i));
          if (rest.length > 0) pending.unshift(rest);
        }
      }
      if (source.kind === 'spool') {
        this.headSettled = undefined;
        await this.spool()?.ack(source.batch);
        this.spoolRefusing = false; // room was freed: try the spool again
      }
      return undefined;
    } finally {
      if (source.kind === 'memory') this.inFlight -= records.length;
    }
  }

  private settle(source: Source, batch: readonly EventRecord[]): void {
    if (source.kind !== 'spool') return;
    let head = this.headSettled;
    if (head === undefined || head.position !== source.batch.position) {
      head = { position: source.batch.position, ids: new Set() };
      this.headSettled = head;
    }
    for (const record of batch) head.ids.add(record.id);
  }

  private async deadLetter(
    batch: readonly EventRecord[],
    refused: readonly number[],
    outcome: Extract<SendOutcome, { kind: 'rejected' }>,
  ): Promise<void> {
    const letters = deadLetters(batch, refused, outcome);
    this.counts.rejected += letters.length;
    const sink: DeadLetterSink | undefined = this.storage?.deadLetters;
    if (sink !== undefined) {
      try {
        await sink.write(letters);
      } catch (cause) {
        this.options.report(
          new DecisionLogError(
            'dead_letter_failed',
            `could not write ${letters.length} refused event(s) to the dead-letter file: ${String(cause)}`,
            {
              eventIds: letters.map((l) => l.record.id),
              cause,
            },
          ),
        );
      }
    }
    // Reported either way: without a file system, onError is where refused events go.
    for (const letter of letters) this.options.report(letter.error);
  }

  private mustSpill(): boolean {
    const spool = this.spool();
    if (spool === undefined || this.spoolRefusing || this.queue.events === 0) return false;
    if (this.options.spoolMode === 'always') return true;
    // Newer events wait behind older ones in the spool, or memory is full: spill.
    return spool.pendingEvents > 0 || this.failures > 0 || this.isFull();
  }

  /** Moves memory batches (held ones first) into the spool. */
  private async spill(): Promise<void> {
    const spool = this.spool();
    if (spool === undefined || this.spilling) return;
    this.spilling = true;
    try {
      while (!this.spoolRefusing) {
        const batch = this.held.take() ?? this.queue.take();
        if (batch === undefined) return;
        this.inFlight += batch.length;
        try {
          await spool.append(batch);
          this.counts.spooled += batch.length;
        } catch (error) {
          this.held.hold(batch);
          this.refuseSpooling(asError(error));
        } finally {
          this.inFlight -= batch.length;
        }
      }
    } finally {
      this.spilling = false;
    }
    this.kick(0);
  }

  private async keepForRetry(remaining: readonly EventRecord[]): Promise<void> {
    const spool = this.spool();
    if (spool !== undefined && !this.spoolRefusing) {
      try {
        await spool.append(remaining);
        this.counts.spooled += remaining.length;
        return;
      } catch (error) {
        this.refuseSpooling(asError(error));
      }
    }
    this.held.hold(remaining);
  }

  /** The spool is full or broken: keep batches in memory until an acknowledgement frees room. */
  private refuseSpooling(error: DecisionLogError): void {
    this.options.report(error);
    this.spoolRefusing = true;
    this.options.timers.set(() => {
      this.spoolRefusing = false;
    }, this.options.backoff.maxDelayMs);
  }

  private takeAllMemory(): EventRecord[] {
    const all: EventRecord[] = [];
    for (let batch = this.held.take(); batch !== undefined; batch = this.held.take())
      all.push(...batch);
    for (let batch = this.queue.take(); batch !== undefined; batch = this.queue.take()) {
      all.push(...batch);
    }
    return all;
  }

  private drop(record: EventRecord): void {
    this.counts.dropped += 1;
    this.droppedIds.push(record.id);
    this.kick(0);
  }

  /** Drops are reported once per loop turn with every id, not once per event. */
  private reportDrops(): void {
    if (this.droppedIds.length === 0) return;
    const ids = this.droppedIds;
    this.droppedIds = [];
    const why =
      this.options.overflow === 'drop'
        ? "the memory queue was full and overflow is 'drop'"
        : 'the memory queue was full and the spool could not take more';
    this.options.report(
      new DecisionLogError('dropped', `${ids.length} event(s) were dropped: ${why}`, {
        eventIds: ids,
      }),
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      // A flush or a full batch while waiting out a backoff does not cut the wait short (the
      // server asked for it); only close does.
      const wake = () => {
        this.options.timers.clear(handle);
        this.wakers.delete(wake);
        resolve();
      };
      const handle = this.options.timers.set(wake, ms, this.forced > 0);
      this.wakers.add(wake);
    });
  }

  private interrupt(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

function asError(error: unknown): DecisionLogError {
  return isDecisionLogError(error)
    ? error
    : new DecisionLogError('spool_unavailable', String(error), { cause: error });
}
