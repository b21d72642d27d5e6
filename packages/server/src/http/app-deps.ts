import type { FastifyBaseLogger } from 'fastify';
import type { GovernanceStore } from '@declog/core';
import type { RateLimits } from '../services/governance/rate-limiter.js';
import type { TenantLogs } from '../services/governance/tenant-logs.js';
import type { PseudonymKeys } from '../services/governance/pseudonym-keys.js';
import type { SubjectKeys } from '../services/privacy/subject-keys.js';
import type { SealingKeySource } from '../services/ingest/sealing-keys.js';
import type { SecurityTrailLimits } from '../services/governance/security-trail.js';
import type { DashboardAssets } from './dashboard-assets.js';
import type { HttpLimits } from './http-limits.js';

export interface AppDeps {
  /** Each tenant's decision log and access trail, opened on first use. */
  readonly logs: TenantLogs;
  /** Tenants and API keys. */
  readonly governance: GovernanceStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Requests per second per key; defaults to DEFAULT_RATE_LIMITS. */
  readonly rateLimits?: RateLimits;
  /** Timeouts, the connection cap and failed authentications allowed; DEFAULT_HTTP_LIMITS. */
  readonly http?: HttpLimits;
  /** Refusals recorded one by one in the security trail; DEFAULT_SECURITY_TRAIL_LIMITS. */
  readonly securityTrailLimits?: SecurityTrailLimits;
  /** The built dashboard, served at `/`; without it `/` answers 404 saying so. */
  readonly dashboard?: DashboardAssets | null;
  /** Resolves when the store answers, for `GET /readyz`; by default always. */
  readonly ready?: () => Promise<void>;
  /**
   * The access log (pino, JSON lines): one line per answered request. None by default.
   */
  readonly logger?: FastifyBaseLogger;
  /** Where to log unexpected errors; they never reach the client in detail. */
  readonly logError?: (error: unknown) => void;
  /**
   * Subject keys, pseudonym keys and the database's scrub, all of which need the master key:
   * with them, the personal values of decisions that name a subject are sealed at ingest,
   * opened for readers, and erasable, and masking policies may pseudonymise.
   */
  readonly privacy?: {
    readonly keys: SubjectKeys;
    /** The keys ingest seals with, cached (see sealingKeySource). */
    readonly sealingKeys: SealingKeySource;
    readonly pseudonymKeys: PseudonymKeys;
    readonly scrub: () => Promise<void>;
  };
}
