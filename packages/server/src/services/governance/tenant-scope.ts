import { DEFAULT_TENANT, tenantNameProblem, type GovernanceStore } from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { Principal } from './principal.js';

/**
 * The tenant a request acts on: the key's own, or, for a key of all tenants, the one named in
 * `X-Declog-Tenant` (by default `default`). A tenant key naming another tenant is forbidden.
 */
export async function tenantOfRequest(
  governance: GovernanceStore,
  principal: Principal,
  header: string | undefined,
): Promise<string> {
  const named = header?.trim();
  if (named !== undefined && named !== '') {
    const problem = tenantNameProblem(named);
    if (problem) {
      throw new DeclogError('invalid_parameter', `X-Declog-Tenant ${problem}`, [
        { path: 'X-Declog-Tenant', message: problem },
      ]);
    }
  }
  if (principal.tenant !== null) {
    if (named !== undefined && named !== '' && named !== principal.tenant) {
      throw new DeclogError(
        'forbidden',
        `this key acts for tenant ${principal.tenant} only, not ${named}`,
      );
    }
    return principal.tenant;
  }
  const tenant = named === undefined || named === '' ? DEFAULT_TENANT : named;
  if (tenant !== DEFAULT_TENANT && !(await governance.tenant(tenant))) {
    throw new DeclogError('tenant_not_found', `no tenant ${tenant}`);
  }
  return tenant;
}
