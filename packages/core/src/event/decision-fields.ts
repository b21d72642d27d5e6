import { canonicalMemberTexts } from '../canonical-member-texts.js';

/**
 * The optional fields of a decision whose presence the analyses count (field completeness), in
 * the order of their bits in `DecisionFacts.fields`. Fixed: stores keep the mask, so a field is
 * only ever added at the end.
 */
export const DECISION_FIELDS = [
  'confidence',
  'prediction.label',
  'prediction.score',
  'prediction.value',
  'rationale.reasons',
  'rationale.policy',
  'rationale.method',
  'input',
  'input.features',
  'input.ref',
  'input.digest',
  'subject',
  'cohort',
  'context',
  'labels',
  'model.uri',
  'model.digest',
] as const;

export type DecisionField = (typeof DECISION_FIELDS)[number];

/** The fields every valid decision has: the contract requires them. */
export const REQUIRED_DECISION_FIELDS = [
  'occurred_at',
  'model.name',
  'model.version',
  'prediction',
  'rationale.summary',
] as const;

/**
 * The bit mask of the optional fields a decision has, the same whether it is given as submitted
 * or as its leaf holds it once sealed: a sealed field (`/input/features`, `/cohort`) counts as
 * present through `personal.fields`, and an `input` that held only features with it.
 */
export function decisionFieldMask(event: Readonly<Record<string, unknown>>): number {
  const { prediction, rationale, input, model, personal } = event;
  const sealed = isRecord(personal) && Array.isArray(personal['fields']) ? personal['fields'] : [];
  const sealedFeatures = sealed.includes('/input/features');
  const present: boolean[] = [
    event['confidence'] !== undefined,
    has(prediction, 'label'),
    has(prediction, 'score'),
    has(prediction, 'value'),
    has(rationale, 'reasons'),
    has(rationale, 'policy'),
    has(rationale, 'method'),
    input !== undefined || sealedFeatures,
    has(input, 'features') || sealedFeatures,
    has(input, 'ref'),
    has(input, 'digest'),
    event['subject'] !== undefined,
    event['cohort'] !== undefined || sealed.includes('/cohort'),
    event['context'] !== undefined,
    event['labels'] !== undefined,
    has(model, 'uri'),
    has(model, 'digest'),
  ];
  let mask = 0;
  present.forEach((on, bit) => {
    if (on) mask |= 1 << bit;
  });
  return mask;
}

/**
 * A label (a predicted label or an outcome's) as text, the form stores keep and analyses
 * compare: a string as it is, a number as ECMAScript (and canonical JSON) writes it, a boolean
 * as `true` or `false`. So `1` and `"1"` are the same label to an analysis.
 *
 * @example labelText(0.5) // '0.5'
 */
export function labelText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/** A label as `labelText` has it, or null when `value` is not a label. */
export function labelOf(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? labelText(value)
    : null;
}

/**
 * An outcome's label as text (see labelText), from its leaf (canonical JSON); null when it has
 * none, or the text is not a canonical outcome.
 */
export function outcomeLabelOf(leaf: string): string | null {
  const [text] = canonicalMemberTexts(leaf, ['outcome']) ?? [];
  if (text === undefined) return null;
  const outcome: unknown = JSON.parse(text);
  return isRecord(outcome) && outcome['label'] !== undefined ? labelOf(outcome['label']) : null;
}

function has(value: unknown, name: string): boolean {
  return isRecord(value) && value[name] !== undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
