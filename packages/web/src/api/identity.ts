/** What `GET /v1/me` says about the signed-in key. */
export interface Identity {
  readonly key_id: string;
  readonly name: string;
  readonly role: 'producer' | 'reviewer' | 'auditor' | 'admin';
  /** The tenant requests act on. */
  readonly tenant: string;
  /** Whether the key may act on every tenant (then the dashboard offers a switcher). */
  readonly all_tenants: boolean;
}

/** What each role may see in the dashboard: the API refuses the rest anyway. */
export function mayRead(
  identity: Identity,
  what: 'decisions' | 'log' | 'access' | 'review',
): boolean {
  switch (what) {
    case 'decisions':
      return identity.role !== 'producer';
    case 'review':
      return identity.role === 'reviewer' || identity.role === 'admin';
    case 'log':
    case 'access':
      return identity.role === 'auditor' || identity.role === 'admin';
  }
}
