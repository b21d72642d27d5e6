import { existsSync, rmSync } from 'node:fs';
import { Command } from 'commander';
import type { SingleBar } from 'cli-progress';
import { DEFAULT_TENANT, type LogDatabase } from '@declog/core';
import { DeclogError, isDeclogError } from '../../errors.js';
import { DEFAULT_COPY_BATCH, type CopyReport } from '../../services/copy/copy-log.js';
import { copyDatabase, type DatabaseCopyReport } from '../../services/copy/copy-database.js';
import {
  describeStoreLocation,
  openDatabase,
  openReadonlyDatabase,
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
      'copy a whole database to another (SQLite or PostgreSQL): every log, entries byte for ' +
        'byte with their sealed records, checkpoints and settings, so that it verifies with ' +
        'the same roots, then keys, policies, subject keys, erasures and holds. The target ' +
        'must be empty or hold an earlier copy, which is resumed',
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
        'Nor is the master key that wraps the subject keys: give the copy the same one\n' +
        '  (--master-key ./declog.db.master-key or $DECLOG_MASTER_KEY).\n' +
        'Entries written to the source after the copy began are copied by running it again.\n',
    )
    .action(async (options: CopyOptions) => {
      const from = parseLocation('--from', options.from);
      const to = parseLocation('--to', options.to);
      if (sameStoreLocation(from, to)) {
        throw new Error(`--from and --to name the same database (${describeStoreLocation(to)})`);
      }
      const source = await openSource(from, options.from);
      // A SQLite file this copy creates is removed again if the copy fails: the target is left
      // as it was, free for another copy.
      const created = to.kind === 'sqlite' && to.path !== ':memory:' && !existsSync(to.path);
      let target: LogDatabase | undefined;
      let bar: SingleBar | undefined;
      let ok = false;
      try {
        target = await locatedAsync('--to', to, () => openDatabase(options.to));
        const report = await copyDatabase(source, target, {
          batchSize: options.batchSize,
          onLog: () => {
            bar?.stop();
            bar = undefined;
          },
          onProgress: (copied, total) => {
            if (!io.stderr.isTTY) return;
            bar ??= progressBar(io, 'copy', 'entries', total);
            bar.update(copied);
          },
        });
        bar?.stop();
        ok = report.ok;
        if (options.json) io.stdout.write(`${JSON.stringify(databaseCopyJson(report))}\n`);
        else if (report.ok) io.stdout.write(renderDatabaseCopy(report));
        else io.stderr.write(renderDatabaseCopy(report, describeStoreLocation(from), created));
        if (!report.ok) setExitCode(1);
      } finally {
        bar?.stop();
        await target?.close();
        await source.close();
        if (!ok && created && to.kind === 'sqlite') {
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${to.path}${suffix}`, { force: true });
        }
      }
    });
}

/** The source, opened read only after checking that it holds a declog log of this schema. */
async function openSource(from: StoreLocation, given: string): Promise<LogDatabase> {
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
  return locatedAsync('--from', from, () => openReadonlyDatabase(given));
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

/**
 * `copy --json`: the default log's report at the top level, each log's report under `logs`
 * (with its id), and what governance came over (null when the copy stopped before it).
 */
export function databaseCopyJson(report: DatabaseCopyReport): Readonly<Record<string, unknown>> {
  const first = report.logs.find((log) => log.logId === DEFAULT_TENANT) ?? report.logs[0];
  const g = report.governance;
  return {
    ...(first ? copyReportJson(first.report) : {}),
    ok: report.ok,
    logs: report.logs.map(({ logId, report: log }) => ({ log: logId, ...copyReportJson(log) })),
    governance:
      g === null
        ? null
        : {
            tenants: g.tenants,
            api_keys: g.apiKeys,
            settings: g.settings,
            subject_keys: g.subjectKeys,
            erased_subjects: g.erasedSubjects,
            holds: g.holds,
          },
  };
}

/** One log's copy report, in the API's spelling (the root hash in base64). */
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
 * The default log's line (see renderCopyReport), a line for each other log, and one for the
 * governance; or the problem, naming the log when it is not the default one.
 */
export function renderDatabaseCopy(
  report: DatabaseCopyReport,
  source = 'the source',
  removed = false,
): string {
  let text = '';
  for (const { logId, report: log } of report.logs) {
    const line = renderCopyReport(log, source, removed);
    text += logId === DEFAULT_TENANT ? line : `${logId}: ${line}`;
  }
  const g = report.governance;
  if (g !== null) {
    text +=
      `governance: ${g.tenants} tenants, ${g.apiKeys} API keys, ${g.settings} tenant settings, ` +
      `${g.subjectKeys} subject keys, ${g.erasedSubjects} erased subjects, ${g.holds} legal holds\n`;
  }
  return text;
}

/**
 * `copied N entries (M already there), K checkpoints; root at size S: BASE64`, or the problem
 * with what was and was not written.
 */
export function renderCopyReport(
  report: CopyReport,
  source = 'the source',
  removed = false,
): string {
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
          (removed
            ? 'the target this copy created was removed\n'
            : `${report.copied} entries were copied before it\n`)
        : '  nothing to copy\n';
  return `FAILED [${report.code}] ${report.reason}\n${after}`;
}
