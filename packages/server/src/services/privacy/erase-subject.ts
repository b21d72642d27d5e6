import type { EventStore, GovernanceStore } from '@declog/core';
import { DeclogError } from '../../errors.js';
import { heldError, holdsCoveringSubject } from '../governance/legal-holds.js';

export interface ErasureDeps {
  readonly governance: GovernanceStore;
  readonly scrub: () => Promise<void>;
  readonly now: () => Date;
}

export interface Erasure {
  readonly subject: string;
  readonly erased_at: string;
  readonly erased_by: string;
  /** Whether a live key was destroyed now (false: erased before, or never seen). */
  readonly key_destroyed: boolean;
  /** Sealed records deleted now. */
  readonly records_shredded: number;
  /** Access-trail entries concerning the subject whose personal details were deleted now. */
  readonly access_details_deleted: number;
}

/**
 * `DELETE /v1/subjects/{id}`: destroys the subject's key, deletes its sealed records and
 * scrubs the database files, so that its personal values are unreadable everywhere the key
 * was; the personal details of access-trail entries concerning it are deleted too. Events
 * arriving later for the subject are erased on arrival. Refused, with the holds named, while a
 * legal hold covers the subject; refused (`subject_not_found`) for a subject the tenant does not
 * know, a typo most likely, unless `force` asks to erase it ahead of its events. Leaves and
 * proofs are untouched: they never held the values.
 */
export async function eraseSubject(
  deps: ErasureDeps,
  /** The tenant's decision log. */
  log: EventStore,
  tenant: string,
  subject: string,
  by: string,
  options: { readonly force?: boolean } = {},
): Promise<Erasure> {
  if (subject.length === 0 || subject.length > 256) {
    throw new DeclogError('invalid_parameter', 'subject id must be 1-256 characters', [
      { path: 'id', message: 'must be 1-256 characters' },
    ]);
  }
  if (!(options.force ?? false) && !(await subjectKnown(deps.governance, log, tenant, subject))) {
    throw new DeclogError(
      'subject_not_found',
      `no subject ${subject} in tenant ${tenant}: no key and no decision names it, so nothing ` +
        'was erased (to erase it ahead of its events: ?force=true, or declog erase --force)',
      [{ path: 'id', message: 'names no known subject' }],
    );
  }
  const holds = await holdsCoveringSubject(deps.governance, log, tenant, subject);
  if (holds.length > 0) throw heldError(`subject ${subject}`, holds);
  const at = deps.now().toISOString();
  const keyDestroyed = await deps.governance.eraseSubjectKey(tenant, subject, at, by);
  const shredded = await log.shredPersonalData({ subject }, at, by);
  // What was searched or stated about the subject in the access trail goes too; the trail's
  // leaves only commit to it, so the trail still verifies.
  const trailDetails = await deps.governance.deleteAccessDetails(tenant, { subject });
  await deps.scrub();
  const record = await deps.governance.subjectKey(tenant, subject);
  return {
    subject,
    erased_at: record?.erasedAt ?? at,
    erased_by: record?.erasedBy ?? by,
    key_destroyed: keyDestroyed,
    records_shredded: shredded,
    access_details_deleted: trailDetails,
  };
}

/** Whether the tenant has a key record for the subject (live or erased), or a decision naming it. */
async function subjectKnown(
  governance: GovernanceStore,
  log: EventStore,
  tenant: string,
  subject: string,
): Promise<boolean> {
  if ((await governance.subjectKey(tenant, subject)) !== null) return true;
  const page = await log.queryDecisions(
    { subject, labels: [], words: [] },
    { limit: 1, after: null },
  );
  return page.items.length > 0;
}
