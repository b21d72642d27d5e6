import { Command, InvalidArgumentError, Option } from 'commander';
import { ALL_TENANTS, ROLES, tenantNameProblem } from '@declog/core';
import type { KeyAdmin } from '../../client/key-admin.js';
import { localKeyAdmin } from '../../client/local-key-admin.js';
import { remoteKeyAdmin } from '../../client/remote-key-admin.js';
import { openDatabase, openReadonlyDatabase } from '../../store/open-store.js';
import type { CliIo } from '../cli-io.js';
import { localUser } from '../local-user.js';
import { renderCreatedKey, renderKeyTable, renderRevokedKey } from '../render-keys.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';
import { tenantOption, type TenantFlag } from '../tenant-option.js';
import { parseServerUrl } from '../server-url-option.js';

interface KeysOptions extends StoreFlags, TenantFlag {
  readonly url?: string;
  readonly key?: string;
  readonly json?: boolean;
}

interface CreateOptions extends KeysOptions {
  readonly role: string;
  readonly name: string;
}

/** `declog keys create|list|revoke`: API keys, on a server or directly on its database. */
export function keysCommand(io: CliIo): Command {
  const keys = new Command('keys').description(
    'make, list and revoke API keys, on a server (--url, with an admin key) or directly on the ' +
      'database (--db or --store: for operators, e.g. to replace a lost admin key)',
  );
  keys.addCommand(
    withKeysTarget(
      new Command('create')
        .description('make a key and print its secret, which is shown only this once')
        .addOption(
          new Option('--role <role>', 'what the key may do').choices(ROLES).makeOptionMandatory(),
        )
        .requiredOption('--name <name>', 'who the key is for: a person or a service')
        .addOption(
          new Option(
            '--tenant <name>',
            `the key's tenant, created if new, or "${ALL_TENANTS}" for all tenants (admin keys); ` +
              'default: the tenant acted on (default)',
          ).argParser(parseKeyTenant),
        ),
    ).action(async (options: CreateOptions) => {
      // The key's tenant goes in the body only: a tenant being created cannot be acted on yet.
      const { tenant, ...target } = options;
      const admin = await openKeyAdmin(target, io.env, 'write');
      try {
        const created = await admin.create({
          role: options.role,
          name: options.name,
          ...(tenant !== undefined ? { tenant } : {}),
        });
        io.stdout.write(options.json ? `${JSON.stringify(created)}\n` : renderCreatedKey(created));
      } finally {
        await admin.close();
      }
    }),
  );
  keys.addCommand(
    withKeysTarget(
      new Command('list')
        .description('list the keys (never their secrets), revoked ones included')
        .addOption(tenantOption("only this tenant's keys (sent as X-Declog-Tenant with --url)")),
    ).action(async (options: KeysOptions) => {
      const admin = await openKeyAdmin(options, io.env, 'read');
      try {
        const all = await admin.list();
        const shown =
          options.tenant === undefined ? all : all.filter((k) => k.tenant === options.tenant);
        io.stdout.write(
          options.json ? `${JSON.stringify({ keys: shown })}\n` : renderKeyTable(shown),
        );
      } finally {
        await admin.close();
      }
    }),
  );
  keys.addCommand(
    withKeysTarget(
      new Command('revoke')
        .description('revoke a key at once: its next request is refused')
        .argument('<id>', 'the key id (as keys list shows it)'),
    ).action(async (id: string, options: KeysOptions) => {
      const admin = await openKeyAdmin(options, io.env, 'write');
      try {
        const revoked = await admin.revoke(id);
        io.stdout.write(options.json ? `${JSON.stringify(revoked)}\n` : renderRevokedKey(revoked));
      } finally {
        await admin.close();
      }
    }),
  );
  return keys;
}

function withKeysTarget(command: Command): Command {
  return withStoreFlags(
    command,
    `database to change directly, as an admin of all tenants, without a server (default ${DEFAULT_DB})`,
    ['url'],
  )
    .addOption(
      new Option('--url <url>', 'a declog server to ask, e.g. http://127.0.0.1:7300').argParser(
        parseServerUrl,
      ),
    )
    .addOption(new Option('--key <key>', 'admin API key for --url (default: $DECLOG_API_KEY)'))
    .option('--json', 'print the API answer as JSON');
}

async function openKeyAdmin(
  options: KeysOptions,
  env: Readonly<Record<string, string | undefined>>,
  access: 'read' | 'write',
): Promise<KeyAdmin> {
  if (options.url !== undefined) {
    return remoteKeyAdmin({
      url: options.url,
      apiKey: options.key ?? env['DECLOG_API_KEY'],
      tenant: options.tenant,
    });
  }
  const location = storeLocationOf(options, env);
  const database =
    access === 'read' ? await openReadonlyDatabase(location) : await openDatabase(location);
  return localKeyAdmin(database, { user: localUser(env) });
}

function parseKeyTenant(value: string): string {
  if (value === ALL_TENANTS) return value;
  const problem = tenantNameProblem(value);
  if (problem) throw new InvalidArgumentError(`tenant ${problem}, or "${ALL_TENANTS}"`);
  return value;
}
