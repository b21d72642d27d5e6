import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TENANT } from '@declog/core';
import {
  ACCESS_LOG_PATHS,
  DECISION_LOG_PATHS,
  remoteLogReader,
} from '../../client/remote-log-reader.js';
import { logOrigin } from '../../services/governance/tenant-logs.js';
import { verifyEvidenceBundle } from '../../services/ledger/verify-evidence-bundle.js';
import { checkRowsOf } from '../../services/ledger/check-rows.js';
import { verifyLog } from '../../services/ledger/verify-log.js';
import { verifyRemoteLog } from '../../services/ledger/verify-remote-log.js';
import { openReadonlyDatabase } from '../../store/open-store.js';
import { openMasterKey } from '../master-key-option.js';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';
import { renderBundleVerification } from '../render-bundle-verification.js';
import { renderLogVerification } from '../render-log-verification.js';
import { renderRemoteVerification } from '../render-remote-verification.js';
import { readVerifierKey } from '../verifier-key-option.js';
import { createCheckRowsPool } from '../verify/check-rows-pool.js';
import {
  newFingerprintKey,
  openIndexAudit,
  type IndexAuditSettings,
} from '../verify/index-audit-settings.js';
import {
  bundleVerificationJson,
  logVerificationJson,
  remoteVerificationJson,
  type AuditedLogJson,
} from '../verification-json.js';
import { tenantLog, tenantLogId, type TenantLogKind } from '../open-tenant-log.js';
import { tenantOption, type TenantFlag } from '../tenant-option.js';
import {
  DEFAULT_ACCESS_STATE_FILE,
  DEFAULT_STATE_FILE,
  databaseStateKey,
  readVerifyState,
  stateKey,
  writeVerifyState,
} from '../verify-state-file.js';
import { parseServerUrl } from '../server-url-option.js';

interface VerifyOptions extends StoreFlags, TenantFlag {
  readonly url?: string;
  readonly accessLog?: boolean;
  readonly bundle?: string;
  readonly verifierKey?: string;
  /** The verifier key's former flag: still read, with a note on standard error. */
  readonly key?: string;
  readonly origin?: string;
  readonly state?: string;
  readonly json?: boolean;
  readonly masterKey?: string;
  readonly chains?: number | 'all';
}

/** Which log of a server or database to audit: a tenant's decision log or access trail. */
interface AuditedLog {
  readonly tenant: string | undefined;
  readonly kind: TenantLogKind;
}

/** A finished audit: the text to print, and whether it passed. */
interface Audit {
  readonly ok: boolean;
  readonly text: string;
}

/** `--json`: one object on standard output, passed or not (the exit code still tells). */
const asJson = (ok: boolean, json: unknown): Audit => ({
  ok,
  text: `${JSON.stringify(json)}\n`,
});

/** The tenant and kind of the log an audit read, as the JSON report names them. */
const auditedLogJson = (log: AuditedLog): AuditedLogJson => ({
  tenant: log.tenant ?? DEFAULT_TENANT,
  log: log.kind,
});

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
      )
        .conflicts('bundle')
        .argParser(parseServerUrl),
    )
    .addOption(
      new Option(
        '--bundle <file>',
        'evidence bundle (from declog bundle) to verify offline; needs --verifier-key',
      ),
    )
    .addOption(
      new Option(
        '--verifier-key <vkey>',
        'verifier key name+keyid+base64, or a file holding it, obtained out of band. ' +
          "Default: the key remembered in --state, else the log's own pinned key (--db) or the " +
          "server's key trusted on first use (--url). Required with --bundle. (The API key, for " +
          'a server that needs one, is $DECLOG_API_KEY)',
      ).conflicts('key'),
    )
    .addOption(
      // The verifier key's flag until --key came to mean the API key in every command.
      new Option('--key <vkey>', 'deprecated: --verifier-key').hideHelp(),
    )
    .addOption(
      new Option(
        '--origin <origin>',
        'checkpoint origin to require. Default: the origin remembered in --state, else the ' +
          "log's origin (--db) or the key's name (--url); the key's name (--bundle)",
      ),
    )
    .addOption(
      new Option(
        '--state <file>',
        `file remembering the last verified checkpoint per log, so the next run checks the log still extends it. With --url, per server URL, and the next run reads only new entries (default ${DEFAULT_STATE_FILE}, with --access-log ${DEFAULT_ACCESS_STATE_FILE}); with --db or --store, per database, only when given`,
      ),
    )
    .addOption(
      tenantOption(
        "the tenant whose log to audit: sent as X-Declog-Tenant with --url, else opens the tenant's log in the database (default: default)",
      ).conflicts('bundle'),
    )
    .addOption(
      new Option(
        '--access-log',
        "audit the tenant's access trail (who read what) instead of its decision log",
      ).conflicts('bundle'),
    )
    .addOption(
      new Option(
        '--chains <n>',
        'with --url: how many decisions, picked at random among the entries downloaded, to read ' +
          'back through GET /v1/decisions/{id}?proof=true and check against their leaves, or all (default 100)',
      )
        .argParser(parseChains)
        .conflicts(['bundle']),
    )
    .addOption(
      new Option(
        '--master-key <file>',
        "the database's master key: also open every sealed record with its subject's key " +
          "against its event's leaf (--db or --store only; without it, records are checked " +
          'without being opened)',
      ).conflicts(['url', 'bundle']),
    )
    .addOption(
      new Option(
        '--json',
        'print the result as one JSON object on standard output, passed or not (exit code 1 when not)',
      ),
    )
    .action(async (options: VerifyOptions) => {
      if (options.state !== undefined && options.bundle !== undefined) {
        throw new Error('--state goes with --url, --db or --store, not --bundle');
      }
      if (options.chains !== undefined && options.url === undefined) {
        throw new Error('--chains goes with --url');
      }
      const log: AuditedLog = {
        tenant: options.tenant,
        kind: options.accessLog === true ? 'access' : 'decisions',
      };
      if (options.key !== undefined) {
        io.stderr.write(
          'declog: verify --key is deprecated: use --verifier-key (--key is the API key in every other command)\n',
        );
      }
      const given = options.verifierKey ?? options.key;
      const key =
        given === undefined
          ? undefined
          : readVerifierKey(given, options.verifierKey !== undefined ? '--verifier-key' : '--key');
      const audit =
        options.bundle !== undefined
          ? verifyBundleFile(options.bundle, key, options.origin, options.json === true)
          : options.url !== undefined
            ? await verifyServer(options.url, log, { ...options, key }, io.env)
            : await verifyDatabase(
                storeLocationOf(options, io.env),
                log,
                { ...options, key },
                io.env,
              );
      (audit.ok || options.json === true ? io.stdout : io.stderr).write(audit.text);
      if (!audit.ok) setExitCode(1);
    });
}

async function verifyDatabase(
  location: string,
  log: AuditedLog,
  options: {
    readonly key: string | undefined;
    readonly origin?: string;
    readonly state?: string;
    readonly json?: boolean;
    readonly masterKey?: string;
  },
  env: Readonly<Record<string, string | undefined>>,
): Promise<Audit> {
  const { key, origin, state: stateFile } = options;
  const remembered = databaseStateKey(location, log.tenant ?? DEFAULT_TENANT, log.kind);
  const previous = stateFile === undefined ? null : readVerifyState(stateFile, remembered);
  const tenant = log.tenant ?? DEFAULT_TENANT;
  const database = await openReadonlyDatabase(location);
  try {
    const store = await tenantLog(database, tenant, log.kind, 'read');
    const masterKeys =
      options.masterKey === undefined
        ? undefined
        : ((await openMasterKey(database.governance, location, options.masterKey, env, {
            mayCreate: false,
          })) ?? undefined);
    const settings: IndexAuditSettings = {
      logId: tenantLogId(tenant, log.kind),
      tenant,
      key: newFingerprintKey(),
      ...(masterKeys ? { masterKeys } : {}),
    };
    const audit = await openIndexAudit(location, settings, database.governance);
    // Every core checks rows: this thread too (it also rebuilds the tree), from the start,
    // while the others are still starting.
    const pool = createCheckRowsPool(
      location,
      availableParallelism() - 1,
      checkRowsOf(store, audit),
      { ...settings, checkIndex: true },
    );
    try {
      const report = await verifyLog(store, {
        ...(key === undefined ? {} : { verifierKey: key }),
        ...(origin === undefined ? {} : { origin }),
        checkRows: pool.checkRows,
        previous,
        index: { audit, totals: pool.indexTotals },
      });
      const remember = report.ok && stateFile !== undefined && report.verified !== null;
      if (remember) writeVerifyState(stateFile, remembered, report.verified, new Date());
      if (options.json === true) {
        const json = logVerificationJson(report, auditedLogJson(log), remember ? stateFile : null);
        return asJson(report.ok, json);
      }
      let text = renderLogVerification(report) + describeLog(log);
      if (remember) text += `  remembered in ${stateFile}\n`;
      return { ok: report.ok, text };
    } finally {
      await pool.close();
      await audit.reader.close();
    }
  } finally {
    await database.close();
  }
}

async function verifyServer(
  given: string,
  log: AuditedLog,
  options: {
    readonly key: string | undefined;
    readonly origin?: string;
    readonly state?: string;
    readonly json?: boolean;
    readonly chains?: number | 'all';
  },
  env: Readonly<Record<string, string | undefined>>,
): Promise<Audit> {
  const url = stateKey(given);
  // Each tenant's log is remembered apart; the default tenant's under the bare URL, as before.
  const remembered =
    log.tenant === undefined || log.tenant === DEFAULT_TENANT ? url : `${url}#tenant=${log.tenant}`;
  const stateFile =
    options.state ?? (log.kind === 'access' ? DEFAULT_ACCESS_STATE_FILE : DEFAULT_STATE_FILE);
  const previous = readVerifyState(stateFile, remembered);
  const reader = remoteLogReader({
    url,
    apiKey: env['DECLOG_API_KEY'],
    tenant: log.tenant,
    paths: log.kind === 'access' ? ACCESS_LOG_PATHS : DECISION_LOG_PATHS,
  });
  const report = await verifyRemoteLog(reader, {
    previous,
    chains: options.chains ?? DEFAULT_CHAINS,
    originOf: (keyName) => logOrigin(keyName, log.tenant ?? DEFAULT_TENANT, log.kind),
    ...(options.key === undefined ? {} : { verifierKey: options.key }),
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  if (report.ok) writeVerifyState(stateFile, remembered, report.verified, new Date());
  if (options.json === true) {
    const json = remoteVerificationJson(
      url,
      report,
      auditedLogJson(log),
      report.ok ? stateFile : null,
    );
    return asJson(report.ok, json);
  }
  let text = renderRemoteVerification(url, report) + describeLog(log);
  if (report.ok) text += `  remembered in ${stateFile}\n`;
  return { ok: report.ok, text };
}

/** Decision chains `verify --url` reads back unless told otherwise. */
const DEFAULT_CHAINS = 100;

function parseChains(text: string): number | 'all' {
  if (text === 'all') return 'all';
  if (!/^(0|[1-9]\d{0,8})$/.test(text)) {
    throw new InvalidArgumentError('a number of decisions, or all');
  }
  return Number(text);
}

/** Names the log audited, unless it is the default tenant's decision log. */
function describeLog(log: AuditedLog): string {
  if (log.tenant === undefined && log.kind === 'decisions') return '';
  const what = log.kind === 'access' ? 'the access trail' : 'the decision log';
  return `  log: ${what} of tenant ${log.tenant ?? DEFAULT_TENANT}\n`;
}

function verifyBundleFile(
  file: string,
  key: string | undefined,
  origin: string | undefined,
  json: boolean,
): Audit {
  if (key === undefined) {
    throw new Error(
      '--bundle needs --verifier-key: a key taken from the bundle itself would prove nothing',
    );
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
  if (json) return asJson(report.ok, bundleVerificationJson(report));
  return { ok: report.ok, text: renderBundleVerification(report) };
}
