import type { Role } from '@declog/core';

/** Who a request acts as: the key that authenticated it. */
export interface Principal {
  readonly keyId: string;
  /** The key's name: the person or service it was issued to. */
  readonly name: string;
  readonly role: Role;
  /** The tenant the key belongs to, or null when it acts for all tenants. */
  readonly tenant: string | null;
}
