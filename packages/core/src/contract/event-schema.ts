import { z } from 'zod';
import { LIMITS } from './limits.js';
import { TIMESTAMP_FORMAT, timestampProblem } from './timestamp-problem.js';

/**
 * The event contract v1. These schemas are the single source of truth: the server validates
 * with them and the OpenAPI and JSON Schema documents are generated from them.
 */

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const EventId = z
  .string()
  .regex(ID_PATTERN, 'must be 1-128 characters of A-Z a-z 0-9 . _ : -')
  .describe('Event id, unique per log.');

const Text = (max: number) => z.string().min(1, 'must not be empty').max(max);
const ShortText = Text(256);

const Timestamp = z.iso
  .datetime({
    offset: true,
    // A date that does not exist is named as such, not as a format error.
    error: (issue) =>
      issue.code === 'invalid_format' && typeof issue.input === 'string'
        ? timestampProblem(issue.input)
        : TIMESTAMP_FORMAT,
  })
  .describe('RFC 3339 timestamp with a UTC offset, e.g. 2026-11-27T10:00:00.123+01:00');

const SCALAR = 'must be a string, number or boolean';
const Scalar = z.union([z.string().max(4096), z.number(), z.boolean()], { error: SCALAR });
const StringMap = z.record(ShortText, z.string().max(1024));

export const Model = z.strictObject({
  name: ShortText,
  version: ShortText,
  uri: z.url({ message: 'must be a URI' }).max(2048).optional(),
  digest: ShortText.optional(),
});

export const Prediction = z
  .strictObject({
    label: Scalar.optional(),
    score: z.number().optional(),
    value: z.unknown().optional(),
  })
  .refine((p) => p.label !== undefined || p.score !== undefined || p.value !== undefined, {
    message: 'needs at least one of label, score, value',
  });

export const Reason = z.strictObject({
  code: ShortText,
  weight: z.number().optional(),
  detail: Text(2000).optional(),
});

export const Rationale = z.strictObject({
  summary: Text(LIMITS.maxSummaryChars),
  reasons: z.array(Reason).max(256).optional(),
  policy: z.strictObject({ name: ShortText, version: ShortText }).optional(),
  method: ShortText.optional(),
});

const Features = z.record(ShortText, z.union([Scalar, z.null()], { error: `${SCALAR} or null` }));

export const Input = z
  .strictObject({
    ref: z.url({ message: 'must be a URI' }).max(2048).optional(),
    digest: ShortText.optional(),
    features: Features.optional(),
  })
  .refine((i) => i.ref !== undefined || i.digest !== undefined || i.features !== undefined, {
    message: 'needs at least one of ref, digest, features',
  });

export const Context = z.strictObject({
  actor: ShortText.optional(),
  channel: ShortText.optional(),
  request_id: ShortText.optional(),
  trace_id: ShortText.optional(),
  environment: ShortText.optional(),
  domain: ShortText.optional(),
});

const envelope = {
  id: EventId.optional(),
  occurred_at: Timestamp,
};

export const DecisionEvent = z.strictObject({
  ...envelope,
  type: z.literal('decision'),
  model: Model,
  prediction: Prediction,
  confidence: z.number().min(0).max(1).optional(),
  rationale: Rationale,
  input: Input.optional(),
  subject: z.strictObject({ id: ShortText }).optional(),
  cohort: StringMap.optional(),
  context: Context.optional(),
  labels: StringMap.optional(),
});

export const ACTION_KINDS = [
  'recommendation',
  'automated',
  'human_review',
  'escalation',
  'override',
  'other',
] as const;

const Details = z.record(z.string(), z.unknown());

export const ActionEvent = z.strictObject({
  ...envelope,
  type: z.literal('action'),
  decision_id: EventId,
  action: z.strictObject({
    kind: z.enum(ACTION_KINDS),
    name: ShortText,
    actor: z.strictObject({ type: z.enum(['system', 'human']), id: ShortText }),
    details: Details.optional(),
  }),
});

export const OUTCOME_STATUSES = ['success', 'failure', 'neutral', 'unknown'] as const;

export const OutcomeEvent = z.strictObject({
  ...envelope,
  type: z.literal('outcome'),
  decision_id: EventId,
  outcome: z.strictObject({
    status: z.enum(OUTCOME_STATUSES),
    label: Scalar.optional(),
    value: z.number().optional(),
    source: ShortText.optional(),
    action_id: EventId.optional(),
  }),
});

export const AnnotationEvent = z.strictObject({
  ...envelope,
  type: z.literal('annotation'),
  decision_id: EventId,
  annotation: z.strictObject({
    text: Text(10_000),
    tags: z.array(ShortText).max(64).optional(),
    author: ShortText.optional(),
  }),
});

export const EVENT_TYPES = ['decision', 'action', 'outcome', 'annotation'] as const;

/**
 * The records of each event type (objects whose member names are data), by path: a zod
 * record skips a member named `__proto__` (assigning it would set a prototype), so
 * validateEvent checks such a member's value against `values` itself.
 */
export const RECORDS: Readonly<
  Record<(typeof EVENT_TYPES)[number], readonly { path: readonly string[]; values: z.ZodType }[]>
> = {
  decision: [
    { path: ['labels'], values: StringMap.valueType },
    { path: ['cohort'], values: StringMap.valueType },
    { path: ['input', 'features'], values: Features.valueType },
  ],
  action: [{ path: ['action', 'details'], values: Details.valueType }],
  outcome: [],
  annotation: [],
};

export const Event = z.discriminatedUnion('type', [
  DecisionEvent,
  ActionEvent,
  OutcomeEvent,
  AnnotationEvent,
]);

export type DecisionEvent = z.infer<typeof DecisionEvent>;
export type ActionEvent = z.infer<typeof ActionEvent>;
export type OutcomeEvent = z.infer<typeof OutcomeEvent>;
export type AnnotationEvent = z.infer<typeof AnnotationEvent>;
export type Event = z.infer<typeof Event>;
export type EventType = Event['type'];
export type ActionKind = (typeof ACTION_KINDS)[number];
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];
