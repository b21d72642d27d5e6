import { Command, Option } from 'commander';
import { jsonText, type EventStore } from '@declog/core';
import { logOrigin } from '../../services/governance/tenant-logs.js';
import { remoteLogReader } from '../../client/remote-log-reader.js';
import { bundleFromServer } from '../../services/ledger/bundle-from-server.js';
import { bundleFromStore } from '../../services/ledger/bundle-from-store.js';
import { issueCheckpoint } from '../../services/ledger/issue-checkpoint.js';
import { verifyEvidenceBundle } from '../../services/ledger/verify-evidence-bundle.js';
import { openReadonlyStore, openStore } from '../../store/open-store.js';
import type { CliIo } from '../cli-io.js';
import { openIdentity, withLogIdentity, type LogIdentityOptions } from '../log-identity-options.js';
import { openTenantLog } from '../open-tenant-log.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';
import { tenantOption, type TenantFlag } from '../tenant-option.js';
import { parseServerUrl } from '../server-url-option.js';

interface BundleOptions extends LogIdentityOptions, StoreFlags, TenantFlag {
  readonly url?: string;
  readonly key?: string;
}

export function bundleCommand(io: CliIo): Command {
  return withLogIdentity(
    withStoreFlags(
      new Command('bundle')
        .description(
          "write a decision's evidence bundle (JSON) to standard output: the signed checkpoint and, " +
            'for every event of its chain, the leaf, its inclusion proof and a c2sp.org/tlog-proof; ' +
            'check it with declog verify --bundle FILE --verifier-key KEY',
        )
        .argument('<decision-id>', 'the decision whose chain to prove'),
      `database file to read (default ${DEFAULT_DB}); if no checkpoint covers the chain yet, ` +
        "one is signed with the log's signing key (see --signing-key)",
      ['url'],
    )
      .addOption(
        new Option(
          '--url <url>',
          'declog server to ask instead (GET /v1/decisions/ID?proof=true)',
        ).argParser(parseServerUrl),
      )
      .addOption(new Option('--key <key>', 'API key for --url (default: $DECLOG_API_KEY)')),
  )
    .addOption(tenantOption())
    .action(async (id: string, options: BundleOptions) => {
      if (options.key !== undefined && options.url === undefined) {
        throw new Error('--key is the API key of a server: it goes with --url');
      }
      const bundle =
        options.url !== undefined
          ? await bundleFromServer(
              remoteLogReader({
                url: options.url,
                apiKey: options.key ?? io.env['DECLOG_API_KEY'],
                tenant: options.tenant,
              }),
              id,
            )
          : await bundleFromDatabase(storeLocationOf(options, io.env), id, options, io.env);
      // Evidence that fails its own log's key would only mislead whoever receives it.
      const key = bundle['verifier_key'];
      const self =
        typeof key === 'string'
          ? verifyEvidenceBundle(bundle, { verifierKey: key, origin: String(bundle['origin']) })
          : null;
      if (self && !self.ok) {
        throw new Error(
          `the bundle does not verify against the log's own key, so the log is damaged: ` +
            `${self.problem.reason} [${self.problem.code}] (run declog verify)`,
        );
      }
      // Events stored before the depth limit may nest deeper than JSON.stringify can write.
      io.stdout.write(`${jsonText(bundle, '  ')}\n`);
    });
}

async function bundleFromDatabase(
  path: string,
  id: string,
  options: BundleOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, unknown>> {
  const store =
    options.tenant === undefined
      ? await openStore(path, { mustExist: true })
      : await openTenantLog(path, options.tenant, 'decisions', 'write');
  try {
    return await bundleFromStore(store, id, async () => {
      const origin = await originFor(store, path, options);
      return signCheckpoint(
        store,
        path,
        origin === undefined ? options : { ...options, origin },
        env,
      );
    });
  } finally {
    await store.close();
  }
}

/**
 * The origin to sign a checkpoint under: --origin, else the log's own. A tenant's log that no
 * server has opened yet has none: it derives from the default log's, as a server would derive it.
 */
async function originFor(
  store: EventStore,
  path: string,
  options: BundleOptions,
): Promise<string | undefined> {
  if (options.origin !== undefined || options.tenant === undefined) return options.origin;
  const own = await store.setting('origin');
  if (own !== null) return own;
  const defaultLog = await openReadonlyStore(path);
  try {
    const base = await defaultLog.setting('origin');
    if (base === null) throw new Error('the database has no origin yet: start a server on it once');
    return logOrigin(base, options.tenant, 'decisions');
  } finally {
    await defaultLog.close();
  }
}

/** Signs a checkpoint of the whole log with the log's own key (see --signing-key). */
async function signCheckpoint(
  store: EventStore,
  path: string,
  options: BundleOptions,
  env: Readonly<Record<string, string | undefined>>,
) {
  try {
    const identity = await openIdentity(store, path, options, env);
    return await issueCheckpoint({ store, identity, now: () => new Date() });
  } catch (error) {
    throw new Error(
      `no checkpoint covers this decision yet, and one cannot be signed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
