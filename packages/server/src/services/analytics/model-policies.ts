import {
  canonicalJson,
  matchesPattern,
  parseModelPolicy,
  type EncodedEvent,
  type GovernanceStore,
  type ModelPolicy,
} from '@declog/core';
import { DeclogError, type ErrorDetail } from '../../errors.js';
import type { ModelRegistry } from './model-registry.js';

const MODEL_POLICY = 'model_policy';

/** A tenant's model policy as set, with when and by whom. */
export interface StoredModelPolicy {
  readonly policy: ModelPolicy;
  readonly updated_at: string;
  readonly updated_by: string;
}

export interface ModelPolicies {
  read(tenant: string): Promise<StoredModelPolicy | null>;
  set(tenant: string, value: unknown, by: string, at: string): Promise<StoredModelPolicy>;
  remove(tenant: string): Promise<boolean>;
  /**
   * The decisions of a batch the tenant's policy refuses: a model name or version outside the
   * naming convention, or (with `undeclared: refuse`) a version nobody declared; each named by
   * its index in the batch and its field.
   */
  refusals(tenant: string, events: readonly EncodedEvent[]): Promise<readonly ErrorDetail[]>;
}

/** `/v1/policies/models` and the check ingest makes with it. */
export function modelPolicies(governance: GovernanceStore, registry: ModelRegistry): ModelPolicies {
  const read = async (tenant: string) => {
    const text = await governance.tenantSetting(tenant, MODEL_POLICY);
    return text === null || text === 'null' ? null : (JSON.parse(text) as StoredModelPolicy);
  };
  return {
    read,
    async set(tenant, value, by, at) {
      const result = parseModelPolicy(value);
      if (!result.ok) {
        throw new DeclogError('invalid_body', 'invalid model policy', [...result.issues]);
      }
      const stored = { policy: result.policy, updated_at: at, updated_by: by };
      await governance.putTenantSetting(tenant, MODEL_POLICY, canonicalJson(stored));
      return stored;
    },
    async remove(tenant) {
      const had = (await read(tenant)) !== null;
      await governance.putTenantSetting(tenant, MODEL_POLICY, 'null');
      return had;
    },
    async refusals(tenant, events) {
      if (!events.some(({ event }) => event.type === 'decision')) return [];
      const policy = (await read(tenant))?.policy;
      if (!policy) return [];
      const declared = policy.undeclared === 'refuse' ? await registry.declared(tenant) : null;
      const issues: ErrorDetail[] = [];
      events.forEach(({ event }, index) => {
        if (event.type !== 'decision') return;
        const { name, version } = event.model;
        if (!matchesPattern(policy.name_pattern, name)) {
          issues.push({
            index,
            path: 'model.name',
            message: `"${name}" does not follow the tenant's model naming convention (${policy.name_pattern})`,
          });
        } else if (!matchesPattern(policy.version_pattern, version)) {
          issues.push({
            index,
            path: 'model.version',
            message: `"${version}" does not follow the tenant's version naming convention (${policy.version_pattern})`,
          });
        } else if (declared && declared[name]?.[version] === undefined) {
          issues.push({
            index,
            path: 'model.version',
            message: `version "${version}" of model "${name}" is not declared, and the tenant refuses undeclared versions (PUT /v1/models/{name}/versions/{version})`,
          });
        }
      });
      return issues;
    },
  };
}
