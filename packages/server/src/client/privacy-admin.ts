import type { HoldKind } from '@declog/core';
import type { HoldView } from '../services/governance/legal-holds.js';
import type { Erasure } from '../services/privacy/erase-subject.js';
import type { StoredRetentionPolicy } from '../services/retention/retention-policies.js';
import type { RetentionReport } from '../services/retention/run-retention.js';

/** What `declog holds place` asks for: the API's `POST /v1/holds` body. */
export interface HoldRequest {
  readonly kind: HoldKind;
  /** A subject id, a decision id or a model name, as `kind` says. */
  readonly target: string;
  readonly reason: string;
}

/**
 * Erasing subjects and managing the legal holds that stop erasures, in one tenant, on a
 * server or directly on its database. Failures are thrown as DeclogError with the same codes
 * and details either way (a refused erasure is `legal_hold`, naming each hold).
 */
export interface PrivacyAdmin {
  /**
   * Destroys the subject's key and shreds its sealed records; harmless to repeat. A subject the
   * tenant does not know is `subject_not_found` unless `force` (erasing it ahead of its events).
   */
  erase(subject: string, options?: { readonly force?: boolean }): Promise<Erasure>;
  placeHold(request: HoldRequest): Promise<HoldView>;
  /** The tenant's holds in the order placed; `standing`: only those not released. */
  holds(options: { readonly standing: boolean }): Promise<readonly HoldView[]>;
  /** Releases a standing hold (`hold_not_found` for an unknown or released one). */
  releaseHold(id: string): Promise<HoldView>;
  /** The tenant's retention policy, or null when none is set. */
  retentionPolicy(): Promise<StoredRetentionPolicy | null>;
  /** Sets it (`invalid_body` naming every bad field of a bad one). */
  setRetentionPolicy(policy: unknown): Promise<StoredRetentionPolicy>;
  /** Removes it; true when there was one. */
  removeRetentionPolicy(): Promise<boolean>;
  /** Applies the retention policy now, or (`dryRun`) reports what it would remove. */
  retention(options: { readonly dryRun: boolean }): Promise<RetentionReport>;
  close(): Promise<void>;
}
