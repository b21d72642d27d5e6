import type { KeyView } from '../services/governance/manage-keys.js';

/** What `declog keys create` asks for: the API's `POST /v1/keys` body. */
export interface KeyRequest {
  readonly role: string;
  readonly name: string;
  /** The key's tenant, or `*` for all tenants; default: the tenant acted on. */
  readonly tenant?: string;
}

/**
 * Managing API keys, on a server or directly on its database. Failures are thrown as
 * DeclogError with the same codes and details either way.
 */
export interface KeyAdmin {
  /** A new key; its secret `key` text is in this answer only. */
  create(request: KeyRequest): Promise<KeyView & { readonly key: string }>;
  /** Every key this admin manages, revoked ones included, without secrets. */
  list(): Promise<readonly KeyView[]>;
  /** Revokes a key at once (revoking a revoked key changes nothing). */
  revoke(id: string): Promise<KeyView>;
  close(): Promise<void>;
}
