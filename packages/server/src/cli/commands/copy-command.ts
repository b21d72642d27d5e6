import { Command } from 'commander';
import type { SingleBar } from 'cli-progress';
import type { EventStore } from '@declog/core';
import { DeclogError, isDeclogError } from '../../errors.js';
import { copyLog, DEFAULT_COPY_BATCH, type CopyReport } from '../../services/copy/copy-log.js';
import {
  describeStoreLocation,
  openReadonlyStore,
  openStore,
  parseStoreLocation,
  sameStoreLocation,
  type StoreLocation,
} from '../../store/open-store.js';
import { schemaVersion } from '../../store/schema-version.js';
import { parseBatchSize } from '../batch-size-option.js';
import type { CliIo } from '../cli-io.js';
import { progressBar } from '../progress-bar.js';

interface CopyOptions {
  readonly from: string;
  readonly to: string;
  readonly batchSize: number;
  readonly json?: boolean;
}

const LOCATION_HELP = 'sqlite:PATH, a file path, or postgres://user@host/db';

export function copyCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('copy')
    .description(
      'copy a whole log to another database (SQLite or PostgreSQL), entries byte for byte, ' +
        'checkpoints and settings, so that it verifies with the same roots. The target must ' +
        'be empty or hold an earlier copy, which is resumed',
    )
    .requiredOption('--from <location>', `the log to copy, read only: ${LOCATION_HELP}`)
    .requiredOption('--to <location>', `where to copy it (created if missing): ${LOCATION_HELP}`)
    .option(
      '--batch-size <n>',
      'entries per transaction on the target',
      parseBatchSize,
      DEFAULT_COPY_BATCH,
    )
    .option(
      '--json',
      'print the report as one JSON object on standard output, copied or not (exit code 1 when not)',
    )
    .addHelpText(
      'after',
      '\nThe signing key is not in the database. Serve the copy with the same key, e.g.\n' +
        '  declog serve --store postgres://… --signing-key ./declog.db.key\n' +
        'Entries written to the source after the copy began are copied by running it again.\n',
    )
    .action(async (options: CopyOptions) => {
      const from = parseLocation('--from', options.from);
      const to = parseLocation('--to', options.to);
      if (sameStoreLocation(from, to)) {
        throw new Error(`--from and --to name the same database (${describeStoreLocation(to)})`);
      }
      const source = await openSource(from, options.from);
      let target: EventStore | undefined;
      let bar: SingleBar | undefined;
      try {
        target = await locatedAsync('--to', to, () => openStore(options.to));
        const report = await copyLog(source, target, {
          batchSize: options.batchSize,
          onProgress: (copied, total) => {
            if (!io.stderr.isTTY) return;
            bar ??= progressBar(io, 'copy', 'entries', total);
            bar.update(copied);
          },
        });
        bar?.stop();
        if (options.json) io.stdout.write(`${JSON.stringify(copyReportJson(report))}\n`);
        else if (report.ok) io.stdout.write(renderCopyReport(report));
        else io.stderr.write(renderCopyReport(report, describeStoreLocation(from)));
        if (!report.ok) setExitCode(1);
      } finally {
        bar?.stop();
        await target?.close();
        await source.close();
      }
    });
}

/** The source, opened read only after checking that it holds a declog log of this schema. */
async function openSource(from: StoreLocation, given: string): Promise<EventStore> {
  const { version, latest } = await locatedAsync('--from', from, () => schemaVersion(given));
  const where = describeStoreLocation(from);
  if (version === 0) throw new Error(`--from ${where}: holds no declog log`);
  if (version > latest) {
    throw new Error(
      `--from ${where}: its schema version ${version} is newer than this declog (${latest}); ` +
        'copy with a declog as new as the one that wrote it',
    );
  }
  // The source is only read, never migrated: upgrading it is the operator's decision.
  if (version < latest) {
    throw new Error(
      `--from ${where}: its schema version ${version} is older than this declog's (${latest}); ` +
        `run declog migrate --store ${where} first`,
    );
  }
  return locatedAsync('--from', from, () => openReadonlyStore(given));
}

/** Parses a location flag, naming the flag in the error. */
function parseLocation(flag: string, text: string): StoreLocation {
  try {
    return parseStoreLocation(text);
  } catch (error) {
    throw inLocation(flag, text, error);
  }
}

/** Runs `work`, naming the flag and location in the message of whatever it throws. */
async function locatedAsync<T>(
  flag: string,
  location: StoreLocation,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw inLocation(flag, describeStoreLocation(location), error);
  }
}

function inLocation(flag: string, where: string, error: unknown): Error {
  const message = `${flag} ${where}: ${(error as Error).message ?? String(error)}`;
  return isDeclogError(error)
    ? new DeclogError(error.code, message, error.details, { cause: error })
    : new Error(message, { cause: error });
}

/** `copy --json`: the report, in the API's spelling (the root hash in base64). */
export function copyReportJson(report: CopyReport): Readonly<Record<string, unknown>> {
  if (!report.ok) {
    return { ok: false, code: report.code, reason: report.reason, copied: report.copied };
  }
  return {
    ok: true,
    copied: report.copied,
    already_there: report.alreadyThere,
    checkpoints_copied: report.checkpointsCopied,
    checkpoints_already_there: report.checkpointsAlreadyThere,
    size: report.size,
    root: Buffer.from(report.rootHash).toString('base64'),
  };
}

/**
 * `copied N entries (M already there), K checkpoints; root at size S: BASE64`, or the problem
 * with what was and was not written.
 */
export function renderCopyReport(report: CopyReport, source = 'the source'): string {
  if (report.ok) {
    const checkpoints =
      report.checkpointsAlreadyThere > 0
        ? `${report.checkpointsCopied} checkpoints (${report.checkpointsAlreadyThere} already there)`
        : `${report.checkpointsCopied} checkpoints`;
    return (
      `copied ${report.copied} entries (${report.alreadyThere} already there), ${checkpoints}; ` +
      `root at size ${report.size}: ${Buffer.from(report.rootHash).toString('base64')}\n`
    );
  }
  const after =
    report.code === 'another-log'
      ? '  nothing was written; copy into an empty database, or into an earlier copy of this log\n'
      : report.code === 'damaged-source'
        ? `  the source is damaged: run declog verify --store ${source}; ` +
          `${report.copied} entries were copied before it\n`
        : '  nothing to copy\n';
  return `FAILED [${report.code}] ${report.reason}\n${after}`;
}
