import { canonicalMembers } from '../canonical-json.js';
import { timestampMillis } from '../contract/timestamp.js';
import { fromMembers } from '../event/from-members.js';
import type { PreparedEvent } from '../event/prepared-event.js';

/**
 * The id of the server's security trail in its database: no tenant name starts with `_`, so
 * no tenant's log can ever take it.
 */
export const SECURITY_LOG_ID = '_security';

/**
 * Why a request was refused before it reached any tenant's data: no valid key, a key naming
 * a tenant not its own, or an address over its budget of failed authentications.
 */
export const SECURITY_REFUSALS = ['unauthorized', 'cross_tenant', 'auth_rate_limited'] as const;
export type SecurityRefusal = (typeof SECURITY_REFUSALS)[number];

/**
 * One entry of the security trail: a refused request (`refusal` says why), or, as `suppressed`,
 * how many refusals from one address were counted but not recorded one by one (the trail is
 * rate-limited, so that a flood cannot fill the disk). It never holds a presented secret, nor a
 * query string or a path's values (they may be personal data): the route template only.
 */
export interface SecurityEntry {
  readonly occurred_at: string;
  readonly refusal: SecurityRefusal | 'suppressed';
  /** The answer's status (none for `suppressed`). */
  readonly status?: number;
  /** What the client was told. */
  readonly message?: string;
  readonly method?: string;
  /** The route template, such as `/v1/decisions/:id`; absent when no route matched. */
  readonly route?: string;
  /**
   * The client's address, as the server's socket saw it; absent on a `suppressed` entry that
   * sums the refusals of addresses too many to count one by one.
   */
  readonly client?: { readonly address: string };
  /** The id of the key presented, when it names a key the server has (never its secret). */
  readonly key_id?: string;
  /** The tenant named in `X-Declog-Tenant` (a `cross_tenant` refusal). */
  readonly tenant?: string;
  /** `suppressed`: the refusals from this address not recorded one by one, by kind. */
  readonly counts?: Readonly<Partial<Record<SecurityRefusal, number>>>;
}

/** A security entry ready to append to the security trail, sealed like any event. */
export function prepareSecurityEntry(entry: SecurityEntry, id: string): PreparedEvent {
  const members = canonicalMembers({ ...entry, id, type: 'security' });
  return fromMembers(
    {
      id,
      type: 'security',
      decisionId: null,
      kind: entry.refusal,
      occurredMs: timestampMillis(entry.occurred_at),
    },
    members,
    null,
  );
}
