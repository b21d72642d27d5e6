/**
 * Builders of valid events of the event contract v1, written from the contract as a producer
 * reads it (not imported from the implementation). Each call gets a fresh id unless given one.
 */

export type ActionKind =
  'recommendation' | 'automated' | 'human_review' | 'escalation' | 'override' | 'other';
export type OutcomeStatus = 'success' | 'failure' | 'neutral' | 'unknown';

export interface DecisionEvent {
  id?: string;
  type: 'decision';
  occurred_at: string;
  model: { name: string; version: string; uri?: string; digest?: string };
  prediction: { label?: string | number | boolean; score?: number; value?: unknown };
  confidence?: number;
  rationale: {
    summary: string;
    reasons?: { code: string; weight?: number; detail?: string }[];
    policy?: { name: string; version: string };
    method?: string;
  };
  input?: {
    ref?: string;
    digest?: string;
    features?: Record<string, string | number | boolean | null>;
  };
  subject?: { id: string };
  cohort?: Record<string, string>;
  context?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface ActionEvent {
  id?: string;
  type: 'action';
  occurred_at: string;
  decision_id: string;
  action: {
    kind: ActionKind;
    name: string;
    actor: { type: 'system' | 'human'; id: string };
    details?: Record<string, unknown>;
  };
}

export interface OutcomeEvent {
  id?: string;
  type: 'outcome';
  occurred_at: string;
  decision_id: string;
  outcome: {
    status: OutcomeStatus;
    label?: string | number | boolean;
    value?: number;
    source?: string;
    action_id?: string;
  };
}

export interface AnnotationEvent {
  id?: string;
  type: 'annotation';
  occurred_at: string;
  decision_id: string;
  annotation: { text: string; tags?: string[]; author?: string };
}

export type TestEvent = DecisionEvent | ActionEvent | OutcomeEvent | AnnotationEvent;

/** A stored event as the API returns it. */
export type Stored<E extends TestEvent> = E & { id: string; seq: number; recorded_at: string };

const RUN = Date.now().toString(36);
let counter = 0;

/** An id no other event of this test process has, e.g. `dec-lq2x9-17`. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${RUN}-${counter}`;
}

const DEFAULT_TIME = '2026-03-01T12:00:00Z';

export function decisionEvent(fields: Partial<DecisionEvent> = {}): DecisionEvent {
  return {
    id: uniqueId('dec'),
    type: 'decision',
    occurred_at: DEFAULT_TIME,
    model: { name: 'credit-scorer', version: '1.4.0' },
    prediction: { label: 'approve', score: 0.82 },
    confidence: 0.82,
    rationale: {
      summary: 'Income ratio well above the threshold',
      reasons: [{ code: 'income_ratio', weight: 0.6 }],
    },
    subject: { id: 'applicant-1' },
    labels: { team: 'risk' },
    ...fields,
  };
}

export function actionEvent(
  decisionId: string,
  fields: Partial<ActionEvent> & { kind?: ActionKind } = {},
): ActionEvent {
  const { kind = 'automated', ...rest } = fields;
  return {
    id: uniqueId('act'),
    type: 'action',
    occurred_at: DEFAULT_TIME,
    decision_id: decisionId,
    action: { kind, name: 'approve-loan', actor: { type: 'system', id: 'loan-service' } },
    ...rest,
  };
}

export function outcomeEvent(
  decisionId: string,
  fields: Partial<OutcomeEvent> & { status?: OutcomeStatus } = {},
): OutcomeEvent {
  const { status = 'success', ...rest } = fields;
  return {
    id: uniqueId('out'),
    type: 'outcome',
    occurred_at: DEFAULT_TIME,
    decision_id: decisionId,
    outcome: { status, label: 'repaid', source: 'ledger' },
    ...rest,
  };
}

export function annotationEvent(
  decisionId: string,
  fields: Partial<AnnotationEvent> & { text?: string } = {},
): AnnotationEvent {
  const { text = 'Checked by the review board', ...rest } = fields;
  return {
    id: uniqueId('ann'),
    type: 'annotation',
    occurred_at: DEFAULT_TIME,
    decision_id: decisionId,
    annotation: { text, tags: ['review'] },
    ...rest,
  };
}

/** The event without its id, for the server to assign one. */
export function withoutId<E extends TestEvent>(event: E): Omit<E, 'id'> {
  const { id: _id, ...rest } = event;
  return rest;
}

/** The id of an event built with one; throws on an id-less event so tests fail loudly. */
export function idOf(event: TestEvent): string {
  if (event.id === undefined) throw new Error('event has no id');
  return event.id;
}
