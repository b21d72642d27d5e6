import {
  parseDecisionQuery,
  type EventStore,
  type GovernanceStore,
  type HoldKind,
  type LegalHold,
} from '@declog/core';
import { DeclogError, type ErrorDetail } from '../../errors.js';

const HOLD_KINDS: readonly HoldKind[] = ['subject', 'decision', 'model'];

/** A hold as the API shows it. */
export interface HoldView {
  readonly id: string;
  readonly kind: HoldKind;
  readonly target: string;
  readonly reason: string;
  readonly placed_at: string;
  readonly placed_by: string;
  readonly released_at: string | null;
  readonly released_by: string | null;
}

export function holdView(hold: LegalHold): HoldView {
  return {
    id: hold.id,
    kind: hold.kind,
    target: hold.target,
    reason: hold.reason,
    placed_at: hold.placedAt,
    placed_by: hold.placedBy,
    released_at: hold.releasedAt,
    released_by: hold.releasedBy,
  };
}

export interface HoldDeps {
  readonly governance: GovernanceStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** `POST /v1/holds` {kind, target, reason}: places a hold on a subject, decision or model. */
export async function placeHold(
  deps: HoldDeps,
  tenant: string,
  body: unknown,
  by: string,
): Promise<HoldView> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DeclogError('invalid_body', 'body must be an object {"kind", "target", "reason"}');
  }
  const { kind, target, reason, ...rest } = body as Record<string, unknown>;
  const details: ErrorDetail[] = Object.keys(rest).map((key) => ({
    path: key,
    message: 'unknown field; use kind, target, reason',
  }));
  if (typeof kind !== 'string' || !(HOLD_KINDS as readonly string[]).includes(kind)) {
    details.push({ path: 'kind', message: `must be one of ${HOLD_KINDS.join(', ')}` });
  }
  if (typeof target !== 'string' || target.length === 0 || target.length > 256) {
    details.push({ path: 'target', message: 'must be a string of 1-256 characters' });
  }
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 2000) {
    details.push({ path: 'reason', message: 'must be a string of 1-2000 characters' });
  }
  if (details.length > 0) throw new DeclogError('invalid_body', 'invalid hold', details);
  const hold: LegalHold = {
    id: deps.newId(),
    tenant,
    kind: kind as HoldKind,
    target: target as string,
    reason: (reason as string).trim(),
    placedAt: deps.now().toISOString(),
    placedBy: by,
    releasedAt: null,
    releasedBy: null,
  };
  await deps.governance.addHold(hold);
  return holdView(hold);
}

/** `DELETE /v1/holds/{id}`: releases a standing hold. */
export async function releaseHold(
  deps: HoldDeps,
  tenant: string,
  id: string,
  by: string,
): Promise<HoldView> {
  const released = await deps.governance.releaseHold(tenant, id, deps.now().toISOString(), by);
  const hold = (await deps.governance.holds(tenant)).find((h) => h.id === id);
  if (!released || !hold) throw new DeclogError('hold_not_found', `no standing legal hold ${id}`);
  return holdView(hold);
}

/**
 * The standing holds that cover a subject: on the subject itself, on one of its decisions, or
 * on a model that decided about it. Erasing the subject would destroy what they preserve.
 */
export async function holdsCoveringSubject(
  governance: GovernanceStore,
  store: EventStore,
  tenant: string,
  subject: string,
): Promise<readonly LegalHold[]> {
  const covering: LegalHold[] = [];
  for (const hold of await governance.holds(tenant, { standing: true })) {
    if (hold.kind === 'subject' && hold.target === subject) covering.push(hold);
    else if (hold.kind === 'decision') {
      const row = await store.eventById(hold.target);
      const held = row && (JSON.parse(row.json) as { subject?: { id?: string } }).subject?.id;
      if (held === subject) covering.push(hold);
    } else if (hold.kind === 'model') {
      const query = parseDecisionQuery(
        new URLSearchParams({ subject, model: hold.target, limit: '1' }),
      );
      if (!query.ok) continue;
      // A page may end empty where a store stopped looking (its cursor goes on): look on.
      let page = await store.queryDecisions(query.filter, query.page);
      while (page.items.length === 0 && page.next !== null) {
        page = await store.queryDecisions(query.filter, { ...query.page, after: page.next });
      }
      if (page.items.length > 0) covering.push(hold);
    }
  }
  return covering;
}

/** The error that says which holds stop an erasure or a pruning. */
export function heldError(what: string, holds: readonly LegalHold[]): DeclogError {
  return new DeclogError(
    'legal_hold',
    `${what} is under ${holds.length} legal hold(s); release them first`,
    holds.map((hold) => ({
      path: `holds/${hold.id}`,
      message: `${hold.kind} ${hold.target}: ${hold.reason} (placed by ${hold.placedBy} at ${hold.placedAt})`,
    })),
  );
}
