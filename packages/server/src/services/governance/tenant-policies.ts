import {
  canonicalJson,
  parseAnnotationPolicy,
  parseMaskingPolicy,
  type AnnotationPolicy,
  type GovernanceStore,
  type MaskingPolicy,
} from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { IngestPolicy } from '../ingest/check-events.js';
import type { PseudonymKeys } from './pseudonym-keys.js';

export const MASKING_POLICY = 'masking_policy';
const ANNOTATION_POLICY = 'annotation_policy';

/** A tenant's masking policy as set, with when and by whom. */
export interface StoredMaskingPolicy {
  readonly policy: MaskingPolicy;
  readonly updated_at: string;
  readonly updated_by: string;
}

/** A tenant's annotation policy as set, with when and by whom. */
export interface StoredAnnotationPolicy {
  readonly policy: AnnotationPolicy;
  readonly updated_at: string;
  readonly updated_by: string;
}

/**
 * Tenants' ingest policies: the masking policy an admin set, and the tenant's pseudonym key
 * (32 random bytes made at first use, so that pseudonyms join within a tenant and never across
 * tenants). Read on every ingest request, so that a change takes effect at once on every
 * server; parsed policies are cached by their text.
 */
export interface TenantPolicies {
  /** What ingest applies for `tenant`, or undefined when it has no masking policy. */
  ingestPolicy(tenant: string): Promise<IngestPolicy | undefined>;
  maskingPolicy(tenant: string): Promise<StoredMaskingPolicy | null>;
  /** Sets the policy after checking it; names every bad field of a bad one. */
  setMaskingPolicy(
    tenant: string,
    value: unknown,
    by: string,
    at: string,
  ): Promise<StoredMaskingPolicy>;
  /** Removes the policy: events are then stored as sent. True when there was one. */
  removeMaskingPolicy(tenant: string): Promise<boolean>;
  /** Whether the tenant's producer keys may post annotations in another author's name. */
  relaysAuthors(tenant: string): Promise<boolean>;
  annotationPolicy(tenant: string): Promise<StoredAnnotationPolicy | null>;
  /** Sets the annotation policy after checking it; names every bad field of a bad one. */
  setAnnotationPolicy(
    tenant: string,
    value: unknown,
    by: string,
    at: string,
  ): Promise<StoredAnnotationPolicy>;
  /** Removes it: every key then posts in its own name only. True when there was one. */
  removeAnnotationPolicy(tenant: string): Promise<boolean>;
}

/**
 * `pseudonymKeys` is null where no master key is at hand to keep pseudonym keys under: a
 * masking policy can then be read and removed, not set or applied.
 */
export function tenantPolicies(
  governance: GovernanceStore,
  pseudonymKeys: PseudonymKeys | null,
): TenantPolicies {
  const parsed = new Map<string, StoredMaskingPolicy | null>();
  const read = async (tenant: string): Promise<StoredMaskingPolicy | null> => {
    const text = await governance.tenantSetting(tenant, MASKING_POLICY);
    if (text === null || text === 'null') return null;
    let stored = parsed.get(text);
    if (stored === undefined) {
      stored = JSON.parse(text) as StoredMaskingPolicy;
      if (parsed.size > 1000) parsed.clear();
      parsed.set(text, stored);
    }
    return stored;
  };
  const pseudonymKey = async (tenant: string): Promise<Uint8Array> => {
    if (pseudonymKeys === null) {
      throw new DeclogError(
        'invalid_parameter',
        'this server has no master key to keep the pseudonym key of a masking policy under',
      );
    }
    return pseudonymKeys.keyOf(tenant);
  };
  return {
    async ingestPolicy(tenant) {
      const stored = await read(tenant);
      if (!stored) return undefined;
      return { masking: stored.policy, pseudonymKey: await pseudonymKey(tenant) };
    },
    maskingPolicy: read,
    async setMaskingPolicy(tenant, value, by, at) {
      const result = parseMaskingPolicy(value);
      if (!result.ok) {
        throw new DeclogError('invalid_body', 'invalid masking policy', [...result.issues]);
      }
      const stored: StoredMaskingPolicy = { policy: result.policy, updated_at: at, updated_by: by };
      // The key exists before the first event is masked with it.
      await pseudonymKey(tenant);
      await governance.putTenantSetting(tenant, MASKING_POLICY, canonicalJson(stored));
      return stored;
    },
    async removeMaskingPolicy(tenant) {
      const had = (await read(tenant)) !== null;
      await governance.putTenantSetting(tenant, MASKING_POLICY, 'null');
      return had;
    },
    async relaysAuthors(tenant) {
      return (await readAnnotations(tenant))?.policy.relay_authors === true;
    },
    annotationPolicy: readAnnotations,
    async setAnnotationPolicy(tenant, value, by, at) {
      const result = parseAnnotationPolicy(value);
      if (!result.ok) {
        throw new DeclogError('invalid_body', 'invalid annotation policy', [...result.issues]);
      }
      const stored = { policy: result.policy, updated_at: at, updated_by: by };
      await governance.putTenantSetting(tenant, ANNOTATION_POLICY, canonicalJson(stored));
      return stored;
    },
    async removeAnnotationPolicy(tenant) {
      const had = (await readAnnotations(tenant)) !== null;
      await governance.putTenantSetting(tenant, ANNOTATION_POLICY, 'null');
      return had;
    },
  };

  async function readAnnotations(tenant: string): Promise<StoredAnnotationPolicy | null> {
    const text = await governance.tenantSetting(tenant, ANNOTATION_POLICY);
    return text === null || text === 'null' ? null : (JSON.parse(text) as StoredAnnotationPolicy);
  }
}
