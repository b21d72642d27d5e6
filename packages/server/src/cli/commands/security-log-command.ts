import { Command, Option } from 'commander';
import { SECURITY_LOG_ID, SECURITY_REFUSALS } from '@declog/core';
import type { CliIo } from '../cli-io.js';
import { serverJson } from '../../client/server-json.js';
import { readSecurityLog } from '../../services/governance/read-security-log.js';
import { openReadonlyDatabase } from '../../store/open-store.js';
import { renderSecurityLog, type SecurityLogPage } from '../render-security-log.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';
import { parseServerUrl } from '../server-url-option.js';

interface SecurityLogOptions extends StoreFlags {
  readonly url?: string;
  readonly key?: string;
  readonly refusal?: string;
  readonly address?: string;
  readonly keyId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: string;
  readonly cursor?: string;
  readonly json?: boolean;
}

/**
 * `declog security-log`: the server's security trail (requests refused for want of a valid key,
 * for naming another tenant, or for too many failed authentications), from a server (`--url`,
 * an admin key of all tenants) or straight from its database.
 */
export function securityLogCommand(io: CliIo): Command {
  return withStoreFlags(
    new Command('security-log').description(
      "list the server's security trail, oldest first: refused requests, from a server (--url, " +
        'with an admin key of all tenants) or directly from the database (--db or --store)',
    ),
    `database to read directly, without a server (default ${DEFAULT_DB})`,
    ['url'],
  )
    .addOption(
      new Option('--url <url>', 'a declog server to ask, e.g. http://127.0.0.1:7300').argParser(
        parseServerUrl,
      ),
    )
    .addOption(new Option('--key <key>', 'admin API key for --url (default: $DECLOG_API_KEY)'))
    .addOption(
      new Option('--refusal <kind>', 'only this kind of entry').choices([
        ...SECURITY_REFUSALS,
        'suppressed',
      ]),
    )
    .option('--address <address>', 'only refusals of this client address')
    .option('--key-id <id>', 'only refusals of this key id')
    .option('--from <time>', 'entries recorded at or after this RFC 3339 time')
    .option('--to <time>', 'entries recorded before this RFC 3339 time')
    .option('--limit <n>', 'entries per page, 1-1000 (default 100)')
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .option('--json', 'print the page as the API answers it')
    .action(async (options: SecurityLogOptions) => {
      const params = new URLSearchParams();
      const filters = {
        refusal: options.refusal,
        address: options.address,
        key_id: options.keyId,
        from: options.from,
        to: options.to,
        limit: options.limit,
        cursor: options.cursor,
      };
      for (const [name, value] of Object.entries(filters)) {
        if (value !== undefined) params.set(name, value);
      }
      const page = await securityLogPage(options, params, io.env);
      io.stdout.write(options.json ? `${JSON.stringify(page)}\n` : renderSecurityLog(page));
    });
}

async function securityLogPage(
  options: SecurityLogOptions,
  params: URLSearchParams,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SecurityLogPage> {
  if (options.url !== undefined) {
    const request = serverJson({ url: options.url, apiKey: options.key ?? env['DECLOG_API_KEY'] });
    const query = params.size > 0 ? `?${params}` : '';
    return request<SecurityLogPage>(`/v1/security-log${query}`);
  }
  const database = await openReadonlyDatabase(storeLocationOf(options, env));
  try {
    // A database no server has served since the trail was introduced has none yet.
    if (!(await database.hasLog(SECURITY_LOG_ID))) return { items: [], next_cursor: null };
    const answer = await readSecurityLog(await database.log(SECURITY_LOG_ID), params);
    return JSON.parse(answer.json) as SecurityLogPage;
  } finally {
    await database.close();
  }
}
