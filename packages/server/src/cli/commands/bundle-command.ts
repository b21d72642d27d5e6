import { Command, Option } from 'commander';
import type { EventStore } from '@declog/core';
import { remoteLogReader } from '../../client/remote-log-reader.js';
import { bundleFromServer } from '../../services/ledger/bundle-from-server.js';
import { bundleFromStore } from '../../services/ledger/bundle-from-store.js';
import { issueCheckpoint } from '../../services/ledger/issue-checkpoint.js';
import { verifyEvidenceBundle } from '../../services/ledger/verify-evidence-bundle.js';
import { openStore } from '../../store/open-store.js';
import type { CliIo } from '../cli-io.js';
import { openIdentity, withLogIdentity, type LogIdentityOptions } from '../log-identity-options.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';

interface BundleOptions extends LogIdentityOptions, StoreFlags {
  readonly url?: string;
}

export function bundleCommand(io: CliIo): Command {
  return withLogIdentity(
    withStoreFlags(
      new Command('bundle')
        .description(
          "write a decision's evidence bundle (JSON) to standard output: the signed checkpoint and, " +
            'for every event of its chain, the leaf, its inclusion proof and a c2sp.org/tlog-proof; ' +
            'check it with declog verify --bundle FILE --key KEY',
        )
        .argument('<decision-id>', 'the decision whose chain to prove'),
      `database file to read (default ${DEFAULT_DB}); if no checkpoint covers the chain yet, ` +
        "one is signed with the log's signing key (see --signing-key)",
      ['url'],
    ).addOption(
      new Option(
        '--url <url>',
        'declog server to ask instead (GET /v1/decisions/ID?proof=true; $DECLOG_API_KEY if it needs a key)',
      ),
    ),
  ).action(async (id: string, options: BundleOptions) => {
    const bundle =
      options.url !== undefined
        ? await bundleFromServer(
            remoteLogReader({ url: options.url, apiKey: io.env['DECLOG_API_KEY'] }),
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
    io.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
  });
}

async function bundleFromDatabase(
  path: string,
  id: string,
  options: BundleOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, unknown>> {
  const store = await openStore(path, { mustExist: true });
  try {
    return await bundleFromStore(store, id, () => signCheckpoint(store, path, options, env));
  } finally {
    await store.close();
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
