// The credit service: scores an application, logs the decision with its reasons, acts on it
// (approve, decline, or send to human review) and later reports what happened.

/** Scores at or above this are approved automatically, below DECLINE_BELOW declined. */
export const APPROVE_AT = 0.7;
export const DECLINE_BELOW = 0.45;

/**
 * @param log a decision log from @declog/sdk's createDecisionLog
 * @param model a trained model (model.mjs)
 */
export function createCreditService({ log, model }) {
  return {
    /**
     * Scores `application` and logs the decision and the action taken. `escalate` sends it to
     * the fraud team instead (a rule outside the model flagged it). Returns the ids and verdict.
     */
    assess(application, { at, id, escalate = false, channel = 'web' }) {
      const { score, contributions } = model.score(application.features);
      const verdict =
        score >= APPROVE_AT ? 'approve' : score < DECLINE_BELOW ? 'decline' : 'review';
      const towards = verdict === 'decline' ? -1 : 1;
      const reasons = [...contributions]
        .sort((a, b) => towards * (b.value - a.value))
        .slice(0, 3)
        .map(({ feature, value }) => ({
          code: value >= 0 ? feature.good : feature.bad,
          weight: Math.round(value * 1000) / 1000,
        }));
      const decisionId = log.decision({
        id,
        occurred_at: at,
        model: { name: model.name, version: model.version },
        prediction: { label: verdict, score: Math.round(score * 10_000) / 10_000 },
        confidence: Math.round(Math.abs(score - 0.5) * 2 * 1000) / 1000,
        rationale: {
          summary: summary(verdict, reasons),
          reasons,
          policy: { name: 'consumer-credit', version: '2026.3' },
          method: 'logistic-regression-contributions',
        },
        input: { features: application.features },
        subject: { id: application.customer },
        cohort: { region: application.region, product: 'personal-loan' },
        context: { channel, request_id: application.requestId, environment: 'demo' },
        labels: { amount_band: application.features.amount >= 10_000 ? 'large' : 'small' },
      });
      const action = escalate
        ? {
            kind: 'escalation',
            name: 'refer_to_fraud_team',
            actor: { type: 'system', id: 'fraud-rules' },
          }
        : verdict === 'review'
          ? {
              kind: 'human_review',
              name: 'queue_for_underwriter',
              actor: { type: 'system', id: 'credit-service' },
            }
          : {
              kind: 'automated',
              name: verdict === 'approve' ? 'open_credit_line' : 'decline_application',
              actor: { type: 'system', id: 'credit-service' },
            };
      const actionId = log.action(decisionId, {
        id: `${decisionId}.a`,
        occurred_at: at,
        ...action,
        details: { amount: application.features.amount },
      });
      return { decisionId, actionId, verdict, score };
    },

    /** An underwriter's call on a reviewed application (an override when it goes against the model). */
    review(decisionId, { at, approve, underwriter, note }) {
      const actionId = log.action(decisionId, {
        id: `${decisionId}.r`,
        occurred_at: at,
        kind: 'override',
        name: approve ? 'open_credit_line' : 'decline_application',
        actor: { type: 'human', id: underwriter },
      });
      if (note)
        log.annotate(decisionId, {
          id: `${decisionId}.n`,
          occurred_at: at,
          text: note,
          // The override action names the underwriter; the note is the service's, posted in
          // its key's name (an author other than the key's principal needs the tenant's
          // annotation policy to let producer keys relay authors: docs/governance.md).
          tags: ['underwriting'],
        });
      return actionId;
    },

    /** What became of a loan: repaid on schedule, or defaulted. */
    reportOutcome(decisionId, { at, actionId, repaid, amount }) {
      return log.outcome(decisionId, {
        id: `${decisionId}.o`,
        occurred_at: at,
        status: repaid ? 'success' : 'failure',
        label: repaid ? 'repaying' : 'defaulted',
        value: amount,
        source: 'loan-servicing',
        action_id: actionId,
      });
    },
  };
}

function summary(verdict, reasons) {
  const codes = reasons.map((r) => r.code.replaceAll('_', ' ')).join(', ');
  if (verdict === 'approve') return `Approved: ${codes}.`;
  if (verdict === 'decline') return `Declined: ${codes}.`;
  return `Sent to an underwriter, the score is borderline: ${codes}.`;
}
