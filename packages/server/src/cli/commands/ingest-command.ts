import { createReadStream } from 'node:fs';
import { Command } from 'commander';
import { DEFAULT_TENANT, LIMITS } from '@declog/core';
import { isDeclogError } from '../../errors.js';
import type { LogClient } from '../../client/log-client.js';
import { parseBatchSize } from '../batch-size-option.js';
import type { CliIo } from '../cli-io.js';
import { inputFileSize } from '../input-file-size.js';
import { ndjsonBatches, type LineBatch } from '../ndjson-batches.js';
import { withLogIdentity, type LogIdentityOptions } from '../log-identity-options.js';
import { openLogTarget, withLogTarget, type LogTargetOptions } from '../log-target.js';
import { signLocalCheckpoint, type LocalSigning } from '../sign-local-checkpoint.js';
import { storeLocationOf } from '../store-option.js';
import { progressBar } from '../progress-bar.js';

export interface IngestSummary {
  readonly created: number;
  readonly duplicate: number;
  readonly rejected: number;
  readonly batches: number;
  readonly seconds: number;
}

/** One rejected input line and why. */
export interface Rejection {
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

interface IngestOptions extends LogTargetOptions, LogIdentityOptions {
  readonly batchSize: number;
  readonly stopOnError?: boolean;
  readonly sign: boolean;
  readonly json?: boolean;
}

export function ingestCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return withLogIdentity(
    withLogTarget(
      new Command('ingest')
        .description(
          'load events from an NDJSON file (one event a line), or - for standard input; on a ' +
            'database, then sign a checkpoint of the log with its signing key',
        )
        .argument('<file>', 'NDJSON file, or - for standard input')
        .option('--batch-size <n>', 'events per atomic batch', parseBatchSize, 1000)
        .option(
          '--no-sign',
          'on a database, leave the new entries unsigned (a server signs them when it starts)',
        )
        .option(
          '--stop-on-error',
          'stop at the first rejected batch instead of storing its valid events and going on',
        )
        .option(
          '--json',
          'print the summary (and the signed checkpoint) as one JSON object (rejected lines are ' +
            'still named on standard error)',
        ),
    ),
  ).action(async (file: string, options: IngestOptions) => {
    if (options.url !== undefined && (options.origin ?? options.signingKey) !== undefined) {
      throw new Error('--origin and --signing-key are for a database: a server signs its own log');
    }
    const totalBytes = file === '-' ? undefined : inputFileSize(file);
    const client = await openLogTarget(options, io.env, 'write');
    // Opened only now: a stream nobody reads reports its errors as an unhandled event.
    const input = file === '-' ? io.stdin : createReadStream(file);
    const bar =
      io.stderr.isTTY && totalBytes ? progressBar(io, 'ingest', 'bytes', totalBytes) : undefined;
    let summary: IngestSummary;
    try {
      summary = await ingestStream(
        client,
        ndjsonBatches(input, options.batchSize, LIMITS.maxRequestBytes - 1024),
        {
          stopOnError: options.stopOnError ?? false,
          onBatch: (batch) => bar?.update(batch.bytesRead),
          onRejection: (rejection) =>
            io.stderr.write(
              `line ${rejection.line}: ${rejection.path || '(event)'}: ${rejection.message}\n`,
            ),
        },
      );
      bar?.stop();
      if (!options.json) io.stdout.write(renderIngestSummary(summary));
      if (summary.rejected > 0) setExitCode(1);
    } finally {
      bar?.stop();
      await client.close();
    }
    // A server signs what it appends within a second; a load into the database is signed here,
    // once, so that verify checks the log to its end.
    let signing: LocalSigning | null = null;
    if (options.url === undefined && options.sign) {
      signing = await signLocalCheckpoint(
        storeLocationOf(options, io.env),
        options.tenant ?? DEFAULT_TENANT,
        options,
        io.env,
      ).catch((error: unknown) => {
        throw new Error(
          `the events are stored, but no checkpoint could be signed: ${(error as Error).message}`,
          { cause: error },
        );
      });
      if (!options.json) io.stdout.write(renderSigning(signing));
    }
    if (options.json) {
      const json = { ...ingestSummaryJson(summary), ...(signing ? signingJson(signing) : {}) };
      io.stdout.write(`${JSON.stringify(json)}\n`);
    }
  });
}

/** `ingest --json`'s checkpoint: the one that now signs the whole log, and whether it is new. */
export function signingJson({ checkpoint, signedNow }: LocalSigning): Record<string, unknown> {
  return {
    checkpoint: {
      size: checkpoint.size,
      root: Buffer.from(checkpoint.rootHash).toString('base64'),
      signed_now: signedNow,
    },
  };
}

/** The summary's second line: the checkpoint that now signs the whole log. */
export function renderSigning({ checkpoint, signedNow }: LocalSigning): string {
  const root = Buffer.from(checkpoint.rootHash).toString('base64');
  return signedNow
    ? `signed a checkpoint of the log at size ${checkpoint.size}, root ${root}\n`
    : `the latest checkpoint already signs the log at size ${checkpoint.size}, root ${root}\n`;
}

/**
 * Sends batches in order. A rejected batch stores nothing, so its bad lines are reported and the
 * rest of the batch is sent again; with `stopOnError` the first rejection ends the run instead.
 */
export async function ingestStream(
  client: LogClient,
  batches: AsyncIterable<LineBatch>,
  hooks: {
    stopOnError: boolean;
    onBatch?: (batch: LineBatch) => void;
    onRejection?: (rejection: Rejection) => void;
    now?: () => number;
  },
): Promise<IngestSummary> {
  const now = hooks.now ?? (() => performance.now());
  const started = now();
  let created = 0;
  let duplicate = 0;
  let rejected = 0;
  let count = 0;
  for await (const batch of batches) {
    // Lines that are not UTF-8 or not JSON are reported with their line in the input and never
    // sent, so a message never speaks of a line number within a batch.
    const syntax = batch.lines.map((line, i) => batch.problems[i] ?? jsonSyntaxError(line));
    let lines = batch.lines.filter((_, i) => syntax[i] === null);
    let lineNumbers = batch.lineNumbers.filter((_, i) => syntax[i] === null);
    syntax.forEach((message, i) => {
      if (message === null) return;
      rejected += 1;
      hooks.onRejection?.({ line: batch.lineNumbers[i] ?? 0, path: '', message });
    });
    if (hooks.stopOnError && rejected > 0) {
      return { created, duplicate, rejected, batches: count, seconds: (now() - started) / 1000 };
    }
    while (lines.length > 0) {
      try {
        const results = await client.ingest(lines);
        count += 1;
        for (const result of results) {
          if (result.status === 'created') created += 1;
          else duplicate += 1;
        }
        break;
      } catch (error) {
        const bad = badIndexes(error);
        if (!bad) throw error;
        for (const [index, details] of bad) {
          rejected += 1;
          for (const detail of details) {
            hooks.onRejection?.({ line: lineNumbers[index] ?? 0, ...detail });
          }
        }
        if (hooks.stopOnError) {
          return {
            created,
            duplicate,
            rejected,
            batches: count,
            seconds: (now() - started) / 1000,
          };
        }
        lineNumbers = lineNumbers.filter((_, index) => !bad.has(index));
        lines = lines.filter((_, index) => !bad.has(index));
      }
    }
    hooks.onBatch?.(batch);
  }
  return { created, duplicate, rejected, batches: count, seconds: (now() - started) / 1000 };
}

function jsonSyntaxError(line: string): string | null {
  try {
    JSON.parse(line);
    return null;
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
}

/** The events a rejected batch names, or null when the error is not about particular events. */
function badIndexes(error: unknown): Map<number, { path: string; message: string }[]> | null {
  if (!isDeclogError(error)) return null;
  const bad = new Map<number, { path: string; message: string }[]>();
  for (const detail of error.details) {
    if (detail.index === undefined) return null;
    bad.set(detail.index, [
      ...(bad.get(detail.index) ?? []),
      { path: detail.path, message: detail.message },
    ]);
  }
  return bad.size > 0 ? bad : null;
}

/** `ingest --json`: the summary's counts, in the API's spelling. */
export function ingestSummaryJson(summary: IngestSummary): Readonly<Record<string, number>> {
  return {
    created: summary.created,
    duplicate: summary.duplicate,
    rejected: summary.rejected,
    batches: summary.batches,
    seconds: Number(summary.seconds.toFixed(3)),
  };
}

export function renderIngestSummary(summary: IngestSummary): string {
  const total = summary.created + summary.duplicate;
  const rate = summary.seconds > 0 ? Math.round(total / summary.seconds) : total;
  return (
    `ingested ${total} events (${summary.created} created, ${summary.duplicate} duplicate), ` +
    `${summary.rejected} rejected, in ${summary.batches} batches, ` +
    `${summary.seconds.toFixed(2)} s (${rate} events/s)\n`
  );
}
