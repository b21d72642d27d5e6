// The pure entry `@declog/core/contract`: the event contract and producer-side masking, with
// no node: module in its import graph, for the SDK in any runtime (Node, Deno, Bun, workers).
export { canonicalJson } from '../canonical-json.js';
export { LIMITS } from './limits.js';
export {
  ACTION_KINDS,
  EVENT_TYPES,
  OUTCOME_STATUSES,
  type ActionEvent,
  type ActionKind,
  type AnnotationEvent,
  type DecisionEvent,
  type Event,
  type EventType,
  type OutcomeEvent,
  type OutcomeStatus,
} from './event-schema.js';
export { validateEvent, type EventValidation } from './validate-event.js';
export { formatPath, type ValidationIssue } from './validation-issue.js';
export {
  parseMaskingPolicy,
  type MaskingPolicy,
  type MaskingPolicyParse,
  type MaskingRule,
} from '../governance/masking-policy.js';
export {
  maskEventWith,
  type MaskedEvent,
  type Pseudonymize,
} from '../governance/mask-event-with.js';
export { MIN_PSEUDONYM_KEY_BYTES, keyedPseudonym } from '../governance/keyed-pseudonym.js';
export { MASK_MARKER_NAMES } from '../governance/mask-markers.js';
