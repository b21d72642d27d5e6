import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { remoteLogReader } from '../../client/remote-log-reader.js';
import { verifyEvidenceBundle } from '../../services/ledger/verify-evidence-bundle.js';
import { verifyLog } from '../../services/ledger/verify-log.js';
import { verifyRemoteLog } from '../../services/ledger/verify-remote-log.js';
import { openReadonlyStore } from '../../store/open-store.js';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';
import { renderBundleVerification } from '../render-bundle-verification.js';
import { renderLogVerification } from '../render-log-verification.js';
import { renderRemoteVerification } from '../render-remote-verification.js';
import { readVerifierKey } from '../verifier-key-option.js';
import { createCheckRowsPool } from '../verify/check-rows-pool.js';
import {
  DEFAULT_STATE_FILE,
  readVerifyState,
  stateKey,
  writeVerifyState,
} from '../verify-state-file.js';

interface VerifyOptions extends StoreFlags {
  readonly url?: string;
  readonly bundle?: string;
  readonly key?: string;
  readonly origin?: string;
  readonly state?: string;
}

/** A finished audit: the text to print, and whether it passed. */
interface Audit {
  readonly ok: boolean;
  readonly text: string;
}

export function verifyCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return withStoreFlags(
    new Command('verify').description(
      'audit the log: a database (--db or --store, the default), a server through its API ' +
        'only (--url), or an evidence bundle offline (--bundle). Prints ok, or names the ' +
        'first bad seq and what is wrong and exits 1',
    ),
    `database file to audit: recompute every entry, rebuild the tree, check every stored checkpoint (default ${DEFAULT_DB})`,
    ['url', 'bundle'],
  )
    .addOption(
      new Option(
        '--url <url>',
        'declog server to audit as a distrusting client, through the checkpoint, entries and proofs it serves ($DECLOG_API_KEY if it needs a key)',
      ).conflicts('bundle'),
    )
    .addOption(
      new Option(
        '--bundle <file>',
        'evidence bundle (from declog bundle) to verify offline; needs --key',
      ),
    )
    .addOption(
      new Option(
        '--key <vkey>',
        'verifier key name+keyid+base64, or a file holding it, obtained out of band. ' +
          "Default: the log's own pinned key (--db); the key remembered in --state, else the " +
          "server's key trusted on first use (--url). Required with --bundle",
      ),
    )
    .addOption(
      new Option(
        '--origin <origin>',
        "checkpoint origin to require. Default: the log's origin (--db); the remembered origin, " +
          "else the key's name (--url); the key's name (--bundle)",
      ),
    )
    .addOption(
      new Option(
        '--state <file>',
        `with --url: file remembering the last verified checkpoint per server URL, so the next run checks consistency and reads only new entries (default ${DEFAULT_STATE_FILE})`,
      ),
    )
    .action(async (options: VerifyOptions) => {
      if (options.state !== undefined && options.url === undefined) {
        throw new Error('--state goes with --url');
      }
      const key = options.key === undefined ? undefined : readVerifierKey(options.key);
      const audit =
        options.bundle !== undefined
          ? verifyBundleFile(options.bundle, key, options.origin)
          : options.url !== undefined
            ? await verifyServer(options.url, { ...options, key }, io.env)
            : await verifyDatabase(storeLocationOf(options, io.env), key, options.origin);
      (audit.ok ? io.stdout : io.stderr).write(audit.text);
      if (!audit.ok) setExitCode(1);
    });
}

async function verifyDatabase(
  location: string,
  key: string | undefined,
  origin: string | undefined,
): Promise<Audit> {
  const store = await openReadonlyStore(location);
  // Every core checks rows; this thread reads pages and rebuilds the tree meanwhile.
  const pool = createCheckRowsPool(location, Math.max(1, availableParallelism()));
  try {
    const report = await verifyLog(store, {
      ...(key === undefined ? {} : { verifierKey: key }),
      ...(origin === undefined ? {} : { origin }),
      checkRows: pool.checkRows,
    });
    return { ok: report.ok, text: renderLogVerification(report) };
  } finally {
    await pool.close();
    await store.close();
  }
}

async function verifyServer(
  given: string,
  options: { readonly key: string | undefined; readonly origin?: string; readonly state?: string },
  env: Readonly<Record<string, string | undefined>>,
): Promise<Audit> {
  const url = stateKey(given);
  const stateFile = options.state ?? DEFAULT_STATE_FILE;
  const previous = readVerifyState(stateFile, url);
  const report = await verifyRemoteLog(remoteLogReader({ url, apiKey: env['DECLOG_API_KEY'] }), {
    previous,
    ...(options.key === undefined ? {} : { verifierKey: options.key }),
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  let text = renderRemoteVerification(url, report);
  if (report.ok) {
    writeVerifyState(stateFile, url, report.verified, new Date());
    text += `  remembered in ${stateFile}\n`;
  }
  return { ok: report.ok, text };
}

function verifyBundleFile(
  file: string,
  key: string | undefined,
  origin: string | undefined,
): Audit {
  if (key === undefined) {
    throw new Error('--bundle needs --key: a key taken from the bundle itself would prove nothing');
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the bundle ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const report = verifyEvidenceBundle(bundle, {
    verifierKey: key,
    ...(origin === undefined ? {} : { origin }),
  });
  return { ok: report.ok, text: renderBundleVerification(report) };
}
