import { DEFAULT_TENANT, type LogDatabase } from '@declog/core';
import { modelInventory, modelVersion } from '../services/analytics/model-inventory.js';
import { modelRegistry } from '../services/analytics/model-registry.js';
import { runAnalysis, type AnalysisName } from '../services/analytics/run-analysis.js';
import { plainRows } from '../services/read-events.js';
import { tenantLog } from '../cli/open-tenant-log.js';
import { openDatabase, openReadonlyDatabase } from '../store/open-store.js';
import { serverJson } from './server-json.js';
import type { ServerOptions } from './server-requester.js';

/** The model inventory and the analyses, from a server or straight from its database. */
export interface AnalyticsClient {
  analysis(name: AnalysisName, params: URLSearchParams): Promise<unknown>;
  models(): Promise<unknown>;
  model(name: string, version: string): Promise<unknown>;
  declare(name: string, version: string, declaration: unknown): Promise<unknown>;
  close(): Promise<void>;
}

const path = (name: string, version: string) =>
  `/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;

/** Through a server's API (`--url`), as the key's role allows. */
export function remoteAnalyticsClient(options: ServerOptions): AnalyticsClient {
  const request = serverJson(options);
  return {
    analysis: (name, params) =>
      request(`/v1/analyses/${name}${params.size > 0 ? `?${params}` : ''}`),
    models: () => request('/v1/models'),
    model: (name, version) => request(path(name, version)),
    declare: (name, version, declaration) =>
      request(path(name, version), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(declaration),
      }),
    close: async () => undefined,
  };
}

/**
 * On the database directly, as its operator: sealed personal values (features, cohort) stay
 * sealed, so the analyses see them as absent; nothing is recorded in the access trail.
 */
export async function localAnalyticsClient(
  location: string,
  options: {
    readonly tenant?: string | undefined;
    readonly write: boolean;
    readonly now: () => Date;
    /** Who declares, for the revision (the local login name). */
    readonly user: string;
  },
): Promise<AnalyticsClient> {
  const database: LogDatabase = options.write
    ? await openDatabase(location)
    : await openReadonlyDatabase(location);
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const registry = modelRegistry(database.governance);
  const store = async () => tenantLog(database, tenant, 'decisions', 'read');
  return {
    async analysis(name, params) {
      const log = await store();
      const deps = {
        store: log,
        reveal: plainRows,
        registry,
        tenant,
        nowMs: options.now().getTime(),
      };
      return runAnalysis(name, deps, params);
    },
    models: async () => modelInventory(await store(), registry, tenant),
    model: async (name, version) => modelVersion(await store(), registry, tenant, name, version),
    async declare(name, version, declaration) {
      const { declared, created } = await registry.declare(
        tenant,
        name,
        version,
        declaration,
        options.user,
        options.now().toISOString(),
      );
      return { ...declared, created };
    },
    close: () => database.close(),
  };
}
