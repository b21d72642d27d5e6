import { mkdir, open, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DecisionLogError } from '../decision-log-error.js';
import type { EventRecord } from '../internal/event-record.js';
import { decodeSpoolRecord, encodeSpoolRecord, scanSpoolRecord } from '../internal/spool-record.js';
import type { Spool, SpooledBatch } from '../internal/spool.js';
import { acquireSpoolLock, type SpoolLock } from './spool-lock.js';

export interface FileSpoolOptions {
  readonly dir: string;
  /** The spool's files never take more than this many bytes. */
  readonly maxBytes: number;
  /** A segment file is closed and a new one begun once it holds this many bytes. */
  readonly segmentBytes: number;
}

interface Segment {
  readonly number: number;
  readonly path: string;
  size: number;
  /** Records not yet acknowledged. */
  unacked: number;
}

interface Entry {
  readonly segment: Segment;
  readonly offset: number;
  readonly length: number;
  readonly count: number;
}

const SEGMENT = /^segment-(\d{12})\.dls$/;
const HEAD_FILE = 'head';

/**
 * The disk spool: append-only segment files of checksummed records (internal/spool-record.ts),
 * one fsync per batch, replayed oldest first, also by the next process that opens the folder.
 * Acknowledged records are tracked in a small `head` file (segment and offset), so a restart
 * resends at most the batches in flight; a wholly acknowledged segment is deleted.
 */
export class FileSpool implements Spool {
  private readonly entries: Entry[] = [];
  private writer: { segment: Segment; handle: FileHandle } | undefined;
  private nextNumber: number;
  private queue: Promise<unknown> = Promise.resolve();
  private totalBytes = 0;
  private pending = 0;

  private constructor(
    private readonly options: FileSpoolOptions,
    private readonly lock: SpoolLock,
    segments: readonly Segment[],
  ) {
    this.nextNumber = (segments.at(-1)?.number ?? 0) + 1;
    this.totalBytes = segments.reduce((sum, s) => sum + s.size, 0);
  }

  /**
   * Opens (and creates) the spool folder, takes its lock and reads every segment. Records
   * that fail their checksum are moved aside into `corrupt/` and reported in `problems`.
   */
  static async open(
    options: FileSpoolOptions,
  ): Promise<{ spool: FileSpool; problems: DecisionLogError[] }> {
    await mkdir(options.dir, { recursive: true });
    const lock = await acquireSpoolLock(options.dir);
    const problems: DecisionLogError[] = [];
    const names = (await readdir(options.dir)).filter((n) => SEGMENT.test(n)).sort();
    const head = await readHead(options.dir);
    const segments: Segment[] = [];
    const entries: Entry[] = [];
    for (const name of names) {
      const path = join(options.dir, name);
      const bytes = new Uint8Array(await readFile(path));
      const segment: Segment = {
        number: Number(SEGMENT.exec(name)?.[1]),
        path,
        size: bytes.length,
        unacked: 0,
      };
      const skipTo = head?.segment === segment.number ? head.offset : 0;
      if (head !== undefined && segment.number < head.segment) {
        await unlink(path); // acknowledged entirely before the last process stopped
        continue;
      }
      let offset = 0;
      while (offset < bytes.length) {
        const scan = scanSpoolRecord(bytes, offset);
        if (scan.kind === 'record' && decodeSpoolRecord(bytes, offset) !== undefined) {
          if (offset >= skipTo) {
            entries.push({ segment, offset, length: scan.length, count: scan.count });
            segment.unacked += 1;
          }
        } else {
          problems.push(await setAside(options.dir, name, offset, bytes, scan));
        }
        offset += scan.length;
      }
      if (segment.unacked === 0) await unlink(path);
      else segments.push(segment);
    }
    const spool = new FileSpool(options, lock, segments);
    spool.entries.push(...entries);
    spool.pending = entries.reduce((sum, e) => sum + e.count, 0);
    return { spool, problems };
  }

  get pendingEvents(): number {
    return this.pending;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  append(records: readonly EventRecord[]): Promise<void> {
    return this.serially(async () => {
      const bytes = encodeSpoolRecord(records);
      if (this.totalBytes + bytes.length > this.options.maxBytes) {
        throw new DecisionLogError(
          'spool_full',
          `the spool in ${this.options.dir} holds ${this.totalBytes} bytes; a batch of ${bytes.length} more would pass spoolMaxBytes (${this.options.maxBytes})`,
          { eventIds: records.map((r) => r.id) },
        );
      }
      const writer = await this.writerFor(bytes.length);
      const offset = writer.segment.size;
      try {
        // A nearly full disk may take part of a write without an error: write the rest.
        for (let done = 0; done < bytes.length;) {
          const { bytesWritten } = await writer.handle.write(
            bytes,
            done,
            bytes.length - done,
            offset + done,
          );
          if (bytesWritten === 0)
            throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          done += bytesWritten;
        }
        await writer.handle.sync();
      } catch (cause) {
        // Cut the partial record off (the checksum would refuse it anyway) and start afresh.
        await writer.handle.truncate(offset).catch(() => undefined);
        await this.closeWriter();
        if (writer.segment.unacked === 0) await unlink(writer.segment.path).catch(() => undefined);
        const full = (cause as { code?: string }).code === 'ENOSPC';
        throw new DecisionLogError(
          full ? 'spool_full' : 'spool_unavailable',
          `could not write ${records.length} event(s) to the spool in ${this.options.dir}: ${String(cause)}`,
          { eventIds: records.map((r) => r.id), cause },
        );
      }
      writer.segment.size += bytes.length;
      writer.segment.unacked += 1;
      this.totalBytes += bytes.length;
      this.pending += records.length;
      this.entries.push({
        segment: writer.segment,
        offset,
        length: bytes.length,
        count: records.length,
      });
    });
  }

  peek(): Promise<SpooledBatch | undefined> {
    return this.serially(async () => {
      const entry = this.entries[0];
      if (entry === undefined) return undefined;
      const handle = await open(entry.segment.path, 'r');
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(entry.length);
        await handle.read(bytes, 0, entry.length, entry.offset);
      } finally {
        await handle.close();
      }
      const records =
        scanSpoolRecord(bytes, 0).kind === 'record' ? decodeSpoolRecord(bytes, 0) : undefined;
      if (records === undefined) {
        // Set aside and skip it: the next peek returns the next batch.
        const name = entry.segment.path.slice(this.options.dir.length + 1);
        const scan = { kind: 'corrupt', length: bytes.length };
        const problem = await setAside(this.options.dir, name, entry.offset, bytes, scan, 0);
        await this.forget(entry);
        throw problem;
      }
      return { records, position: entry };
    });
  }

  ack(batch: SpooledBatch): Promise<void> {
    return this.serially(async () => {
      const entry = this.entries[0];
      if (entry === undefined || entry !== batch.position) return;
      await this.forget(entry);
    });
  }

  /** Drops the oldest entry from the spool: acknowledged, or set aside as corrupt. */
  private async forget(entry: Entry): Promise<void> {
    this.entries.shift();
    this.pending -= entry.count;
    const segment = entry.segment;
    segment.unacked -= 1;
    if (segment.unacked === 0) {
      if (this.writer?.segment === segment) await this.closeWriter();
      await unlink(segment.path).catch(() => undefined);
      this.totalBytes -= segment.size;
    }
    const next = this.entries[0];
    // The head file saves resending acknowledged batches after a restart; it needs no
    // fsync: if it is lost, the batches are resent and the server answers "duplicate".
    await writeFile(
      join(this.options.dir, HEAD_FILE),
      next === undefined ? '' : `${next.segment.number} ${next.offset}\n`,
    ).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.serially(async () => {
      await this.closeWriter();
      await this.lock.release();
    });
  }

  private async writerFor(length: number) {
    if (
      this.writer !== undefined &&
      this.writer.segment.size > 0 &&
      this.writer.segment.size + length > this.options.segmentBytes
    ) {
      await this.closeWriter();
    }
    if (this.writer === undefined) {
      const number = this.nextNumber++;
      const path = join(this.options.dir, `segment-${String(number).padStart(12, '0')}.dls`);
      const handle = await open(path, 'wx');
      await syncDir(this.options.dir); // so the new file's name survives a crash too
      this.writer = { segment: { number, path, size: 0, unacked: 0 }, handle };
    }
    return this.writer;
  }

  private async closeWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.handle.close().catch(() => undefined);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function readHead(dir: string): Promise<{ segment: number; offset: number } | undefined> {
  const text = await readFile(join(dir, HEAD_FILE), 'utf8').catch(() => '');
  const match = /^(\d+) (\d+)\n$/.exec(text);
  if (match === null) return undefined;
  return { segment: Number(match[1]), offset: Number(match[2]) };
}

async function setAside(
  dir: string,
  name: string,
  offset: number,
  bytes: Uint8Array,
  scan: { kind: string; length: number },
  from = offset,
): Promise<DecisionLogError> {
  const aside = join(dir, 'corrupt', `${name}.${offset}.bin`);
  // Kept for inspection when the disk has room; reported either way.
  await mkdir(join(dir, 'corrupt'), { recursive: true })
    .then(() => writeFile(aside, bytes.subarray(from, from + scan.length)))
    .catch(() => undefined);
  const what =
    scan.kind === 'torn'
      ? 'a torn write (the process stopped while appending)'
      : 'bytes that fail their checksum';
  return new DecisionLogError(
    'spool_corrupt',
    `${name} at byte ${offset}: ${scan.length} byte(s) of ${what} were not replayed; kept in ${aside}`,
  );
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}
