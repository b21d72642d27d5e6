import type { EventStore } from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { ModelRegistry } from './model-registry.js';

/**
 * `GET /v1/models`: every model version that decided or was declared, with its first and last
 * decision time and its decision, action and outcome counts, and its declaration in force.
 */
export async function modelInventory(store: EventStore, registry: ModelRegistry, tenant: string) {
  const [usage, declared] = await Promise.all([store.modelUsage({}), registry.declared(tenant)]);
  const keys = new Map<string, { name: string; version: string }>();
  for (const use of usage)
    keys.set(key(use.model, use.version), { name: use.model, version: use.version });
  for (const [name, versions] of Object.entries(declared)) {
    for (const version of Object.keys(versions)) keys.set(key(name, version), { name, version });
  }
  const byKey = new Map(usage.map((use) => [key(use.model, use.version), use]));
  const versions = [...keys.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, { name, version }]) => {
      const use = byKey.get(k);
      const revisions = declared[name]?.[version] ?? [];
      const current = revisions.at(-1);
      return {
        name,
        version,
        declared: current !== undefined,
        revision: current?.revision ?? null,
        first_decision_at: use ? new Date(use.firstMs).toISOString() : null,
        last_decision_at: use ? new Date(use.lastMs).toISOString() : null,
        decisions: use?.decisions ?? 0,
        actions: use?.actions ?? 0,
        outcomes: use?.outcomes ?? 0,
        declaration: current?.declaration ?? null,
      };
    });
  const models = [...new Set(versions.map((v) => v.name))].map((name) => ({
    name,
    versions: versions.filter((v) => v.name === name),
  }));
  return { models, undeclared: versions.filter((v) => !v.declared).length };
}

/** `GET /v1/models/{name}/versions/{version}`: its declaration, every revision, and its use. */
export async function modelVersion(
  store: EventStore,
  registry: ModelRegistry,
  tenant: string,
  name: string,
  version: string,
) {
  const [declared, usage] = await Promise.all([
    registry.version(tenant, name, version),
    store.modelUsage({ model: name, versions: [version] }),
  ]);
  const use = usage[0];
  if (!declared && !use) {
    throw new DeclogError(
      'not_found',
      `model "${name}" version "${version}" is neither declared nor in the log`,
    );
  }
  return {
    name,
    version,
    declared: declared !== null,
    current: declared?.current ?? null,
    revisions: declared?.revisions ?? [],
    first_decision_at: use ? new Date(use.firstMs).toISOString() : null,
    last_decision_at: use ? new Date(use.lastMs).toISOString() : null,
    decisions: use?.decisions ?? 0,
    actions: use?.actions ?? 0,
    outcomes: use?.outcomes ?? 0,
  };
}

const key = (name: string, version: string) => `${name}\u0000${version}`;
