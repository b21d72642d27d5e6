import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import {
  DEFAULT_TENANT,
  singleKeyRing,
  type LogDatabase,
  type MasterKey,
  type MasterKeyRing,
} from '@declog/core';
import { buildApp } from './http/build-app.js';
import { loadDashboardAssets, type DashboardAssets } from './http/dashboard-assets.js';
import { listenFailure } from './http/listen-failure.js';
import { sealingKeySource } from './services/ingest/sealing-keys.js';
import type { HttpLimits } from './http/http-limits.js';
import { checkReadStore } from './services/ledger/check-read-store.js';
import { issueCheckpoint } from './services/ledger/issue-checkpoint.js';
import { startCheckpointer } from './services/ledger/checkpointer.js';
import type { LogIdentity } from './services/ledger/log-identity.js';
import { bootstrapAdminKey } from './services/governance/bootstrap-admin-key.js';
import type { RateLimits } from './services/governance/rate-limiter.js';
import { createTenantLogs } from './services/governance/tenant-logs.js';
import { pseudonymKeys } from './services/governance/pseudonym-keys.js';
import { subjectKeys } from './services/privacy/subject-keys.js';
import { startRetentionSchedule } from './services/retention/retention-schedule.js';

export interface ServeOptions {
  /** Where events are appended and checkpoints signed; also read unless `readDatabase` is given. */
  readonly database: LogDatabase;
  /**
   * A read replica of `database`, opened read-only, that answers the read endpoints; it must
   * hold the same log (checked at start). Closed with the server.
   */
  readonly readDatabase?: LogDatabase;
  /** The default tenant's decision log's identity; every other log's derives from it. */
  readonly identity: LogIdentity;
  readonly host: string;
  readonly port: number;
  /**
   * The bootstrap admin key (`DECLOG_ADMIN_KEY`); without it, a database holding no key gets
   * a generated one, returned once in `RunningServer.generatedAdminKey`.
   */
  readonly adminKey?: string;
  readonly rateLimits?: RateLimits;
  /** Timeouts, the connection cap and failed authentications allowed (DEFAULT_HTTP_LIMITS). */
  readonly http?: HttpLimits;
  /**
   * The key that wraps subject keys and pseudonym keys (or, while a master key rotation runs,
   * the ring of keys `openMasterKey` gives): with it, personal values of decisions that name a
   * subject are sealed and erasable (see docs/privacy.md), and masking policies may
   * pseudonymise; without it personal values are stored as sent.
   */
  readonly masterKey?: MasterKey | MasterKeyRing;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** How often to sign a checkpoint when a log has grown (ms); 250 keeps the 1 s promise. */
  readonly checkpointIntervalMs?: number;
  /**
   * How often every tenant's retention policy is applied (ms); 0 never (then only
   * `declog retention apply` does). Default: hourly; the first run comes 10 s after the start
   * (or one interval, if shorter).
   */
  readonly retentionIntervalMs?: number;
  readonly logError?: (error: unknown) => void;
  /**
   * The dashboard served at `/`: by default the one built into this package (dist/web), if it
   * was built; null serves none.
   */
  readonly dashboard?: DashboardAssets | null;
  /** The access log: one JSON line per answered request (see http/access-log.ts). */
  readonly logger?: FastifyBaseLogger;
  /** Operational news, such as the store becoming unavailable and available again. */
  readonly logNotice?: (message: string) => void;
}

export interface RunningServer {
  readonly url: string;
  /** The admin key generated on this start, to show once; null when none was. */
  readonly generatedAdminKey: string | null;
  close(): Promise<void>;
}

export const DEFAULT_RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** The composition root of the server: the only place where store, clock, ids and keys meet. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? uuidv7;
  const logError = options.logError ?? (() => undefined);
  const { database, readDatabase, identity } = options;
  const { governance } = database;
  const given = options.masterKey;
  const masterKeys = given && 'bytes' in given ? singleKeyRing(given) : given;
  if (readDatabase) await checkReadStore(await readDatabase.log(DEFAULT_TENANT), identity);
  await governance.addTenant({ name: DEFAULT_TENANT, createdAt: now().toISOString() });
  // A given key is installed (or rotated) before the server answers; a generated one only once
  // it listens: one made by a start that could not listen would never be shown, and the next
  // start, finding a key, would make none (the admin locked out).
  if (options.adminKey !== undefined) await bootstrapAdminKey(governance, options.adminKey, now);
  const logs = createTenantLogs({
    database,
    ...(readDatabase ? { readDatabase } : {}),
    identity,
    now,
    newId,
  });
  // Every tenant's logs get a checkpoint covering what a previous run appended.
  for (const { name } of await governance.tenants()) {
    await logs.decisions(name);
    await logs.access(name);
  }
  await logs.security();
  const issueAll = async () => {
    for (const deps of logs.opened()) await issueCheckpoint(deps);
  };
  await issueAll();
  const app = buildApp({
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.http ? { http: options.http } : {}),
    // Ready while the store answers a read of the governance tables.
    ready: async () => {
      await governance.tenant(DEFAULT_TENANT);
    },
    ...(masterKeys
      ? {
          privacy: {
            keys: subjectKeys(governance, masterKeys, now),
            sealingKeys: sealingKeySource(governance, masterKeys, now),
            pseudonymKeys: pseudonymKeys(governance, masterKeys),
            scrub: () => database.scrub(),
          },
        }
      : {}),
    logs,
    governance,
    now,
    newId,
    logError,
    dashboard:
      options.dashboard === undefined
        ? loadDashboardAssets(fileURLToPath(new URL('web/', import.meta.url)))
        : options.dashboard,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const checkpointer = startCheckpointer(logs.opened, {
    intervalMs: options.checkpointIntervalMs ?? 250,
    logError,
    logNotice: options.logNotice ?? (() => undefined),
  });

  const retentionIntervalMs = options.retentionIntervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
  const retention =
    retentionIntervalMs > 0
      ? startRetentionSchedule({
          governance,
          logs,
          now,
          scrub: () => database.scrub(),
          intervalMs: retentionIntervalMs,
          firstRunMs: Math.min(10_000, retentionIntervalMs),
          logError,
          logNotice: options.logNotice ?? (() => undefined),
        })
      : null;

  let generatedKey: string | null = null;
  try {
    await app.listen({ host: options.host, port: options.port }).catch((error: unknown) => {
      throw listenFailure(error, options.host, options.port);
    });
    if (options.adminKey === undefined) {
      ({ generatedKey } = await bootstrapAdminKey(governance, undefined, now));
    }
  } catch (error) {
    // Otherwise the checkpoint timer keeps a server that never started running forever.
    await retention?.stop();
    await checkpointer.stop();
    await app.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    generatedAdminKey: generatedKey,
    async close() {
      await retention?.stop();
      await checkpointer.stop();
      await app.close();
      // The last acknowledged events get their checkpoint before the store closes.
      await issueAll().catch(logError);
      await database.close();
      await readDatabase?.close();
    },
  };
}
