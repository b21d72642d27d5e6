export { createDecisionLog } from './create-decision-log.js';
export type {
  ActionInput,
  AnnotationInput,
  DecisionInput,
  DecisionLog,
  EnvelopeInput,
  OccurredAt,
  OutcomeInput,
  WaitOptions,
} from './decision-log.js';
export type { DecisionLogOptions } from './decision-log-options.js';
export type { DecisionLogStats } from './decision-log-stats.js';
export {
  DECISION_LOG_ERROR_CODES,
  DecisionLogError,
  isDecisionLogError,
  type DecisionLogErrorCode,
  type DecisionLogIssue,
} from './decision-log-error.js';
export type { TraceApi } from './internal/active-trace-id.js';
