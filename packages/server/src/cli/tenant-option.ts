import { InvalidArgumentError, Option } from 'commander';
import { tenantNameProblem } from '@declog/core';

export interface TenantFlag {
  /** The tenant whose logs to use; absent means the default tenant, as before tenants. */
  readonly tenant?: string;
}

/**
 * `--tenant NAME`: with --url it is sent as `X-Declog-Tenant` (for keys of all tenants), on a
 * database it opens that tenant's logs.
 */
export function tenantOption(
  help = "the tenant whose log to use: sent as X-Declog-Tenant with --url, else opens the tenant's log in the database (default: default)",
): Option {
  return new Option('--tenant <name>', help).argParser(parseTenantName);
}

function parseTenantName(value: string): string {
  const problem = tenantNameProblem(value);
  if (problem) throw new InvalidArgumentError(`tenant ${problem}`);
  return value;
}
