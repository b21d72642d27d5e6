import { ANOMALY_PARAMS } from '../services/analytics/anomaly-analysis.js';
import { DRIFT_PARAMS } from '../services/analytics/drift-analysis.js';
import { FAIRNESS_PARAMS } from '../services/analytics/fairness-analysis.js';
import { PERFORMANCE_PARAMS } from '../services/analytics/performance-analysis.js';
import { QUALITY_PARAMS } from '../services/analytics/quality-analysis.js';
import { ref, type JsonObject } from './openapi-components.js';

type Paths = Record<string, Record<string, JsonObject>>;
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('Error')) });

/** What each analysis's query parameters mean (docs/analytics.md says more). */
const PARAMETERS: Readonly<Record<string, string>> = {
  model: 'The model name (required, except for quality, where it narrows).',
  version: 'Model versions, a comma list (default: all).',
  from: 'Start of the current window (RFC 3339, inclusive).',
  to: 'End of the current window (RFC 3339, exclusive).',
  reference_from: 'Start of the reference window (RFC 3339); with reference_to.',
  reference_to: 'End of the reference window (RFC 3339, exclusive).',
  reference_version:
    'Reference versions (a comma list) over the current times, or with reference_from/to.',
  stattest:
    'The method that decides each field it applies to: ks, psi, wasserstein, chisquare or jensenshannon (default: as Evidently).',
  threshold:
    'drift: the threshold of `stattest`; performance: the probability from which a decision is predicted positive (default 0.5).',
  features:
    'drift: the features to compare, a comma list (default: every feature either window has).',
  seed: 'Seed of the uniform sample taken above 200,000 values per window (default 1).',
  positive: 'The outcome label that counts as positive (default: the declared positive_label).',
  cohort: 'fairness: the cohort attribute whose groups are compared (required).',
  selected:
    'fairness: action kinds or predicted labels that count as selected, a comma list (default: the predicted label equal to the positive label).',
  min_group: 'fairness: the fewest decisions a group needs for a verdict (default 30).',
  metric:
    'anomalies: escalation_rate, override_rate, human_review_rate, failure_rate, volume or reason:CODE (required).',
  bucket: 'anomalies: hour or day (default day).',
  baseline_from: 'anomalies: start of the baseline (default: 14 buckets before from).',
  baseline_to: 'anomalies: end of the baseline (default: from).',
  k: 'anomalies: control limit width in standard deviations (default 3).',
  grace:
    'quality: how long an action, outcome or annotation may wait for its decision (ISO 8601 duration, default P1D).',
  action_within:
    'quality: how long a decision may wait for an action (ISO 8601 duration, default P1D).',
};

const findings = {
  type: 'array',
  items: { type: 'string' },
  description: 'Plain-language statements a reviewer can act on; empty when nothing was found.',
};
const countWithExamples = {
  type: 'object',
  required: ['check', 'count', 'examples'],
  properties: {
    check: { type: 'string' },
    count: { type: 'integer', minimum: 0 },
    examples: { type: 'array', items: { type: 'string' }, maxItems: 100 },
    detail: { type: 'string' },
  },
};
const nullableNumber = { type: ['number', 'null'] };

const ANSWERS: Readonly<
  Record<string, { summary: string; schema: JsonObject; params: readonly string[] }>
> = {
  quality: {
    summary:
      'Data quality: completeness, orphans, missing actions, overdue and misdated outcomes, undeclared reasons and versions',
    params: QUALITY_PARAMS,
    schema: {
      type: 'object',
      required: ['checks', 'completeness', 'findings'],
      properties: {
        checks: { type: 'array', items: countWithExamples },
        completeness: {
          type: 'array',
          items: {
            type: 'object',
            required: ['model', 'decisions', 'required', 'optional'],
            properties: {
              model: { type: 'string' },
              decisions: { type: 'integer' },
              required: { type: 'object', additionalProperties: nullableNumber },
              optional: { type: 'object', additionalProperties: nullableNumber },
            },
          },
        },
        findings,
      },
    },
  },
  drift: {
    summary:
      'Drift of scores, confidence, features, predicted labels, reason codes and actions between a reference and the current window',
    params: DRIFT_PARAMS,
    schema: {
      type: 'object',
      required: ['reference', 'current', 'items', 'drifted', 'findings'],
      properties: {
        reference: {
          type: 'object',
          required: ['count'],
          properties: { count: { type: 'integer' } },
        },
        current: {
          type: 'object',
          required: ['count'],
          properties: { count: { type: 'integer' } },
        },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'method', 'value', 'pvalue', 'threshold', 'drift'],
            properties: {
              field: {
                type: 'string',
                description:
                  'score, confidence, prediction.label, reasons, action.kind or features.NAME',
              },
              method: { enum: ['ks', 'psi', 'wasserstein', 'chisquare', 'jensenshannon'] },
              value: { type: 'number' },
              pvalue: nullableNumber,
              threshold: { type: 'number' },
              drift: { type: 'boolean' },
              decisive: { type: 'boolean' },
            },
          },
        },
        drifted: { type: 'array', items: { type: 'string' } },
        findings,
      },
    },
  },
  performance: {
    summary: 'Realised performance per model version once outcomes arrive, two versions compared',
    params: PERFORMANCE_PARAMS,
    schema: {
      type: 'object',
      required: ['versions', 'comparison', 'findings'],
      properties: {
        versions: {
          type: 'array',
          items: {
            type: 'object',
            required: [
              'version',
              'decisions',
              'with_outcome',
              'awaiting_outcome',
              'metrics',
              'outcome_delay_seconds',
            ],
            properties: {
              version: { type: 'string' },
              decisions: { type: 'integer' },
              with_outcome: { type: 'integer' },
              awaiting_outcome: { type: 'integer' },
              metrics: {
                type: ['object', 'null'],
                description: 'classificationMetrics (docs/statistics.md)',
              },
              outcome_delay_seconds: {
                type: 'object',
                required: ['p50', 'p90'],
                properties: { p50: nullableNumber, p90: nullableNumber },
              },
            },
          },
        },
        comparison: { type: ['object', 'null'] },
        findings,
      },
    },
  },
  fairness: {
    summary: 'Selection and error rates by cohort group, with the four-fifths rule',
    params: FAIRNESS_PARAMS,
    schema: {
      type: 'object',
      required: ['metrics', 'verdicts', 'findings'],
      properties: {
        metrics: { type: ['object', 'null'], description: 'fairnessMetrics (docs/statistics.md)' },
        verdicts: {
          type: 'object',
          additionalProperties: { enum: ['ok', 'disparity', 'too_small'] },
        },
        findings,
      },
    },
  },
  anomalies: {
    summary: 'Rate and count anomalies per hour or day against a baseline (control charts)',
    params: ANOMALY_PARAMS,
    schema: {
      type: 'object',
      required: ['points', 'anomalies', 'findings'],
      properties: {
        points: { type: 'array', items: ref('AnomalyPoint') },
        anomalies: { type: 'array', items: ref('AnomalyPoint') },
        findings,
      },
    },
  },
};

export const ANOMALY_POINT_SCHEMA = {
  type: 'object',
  required: ['bucket', 'value', 'lower', 'upper', 'pvalue', 'anomaly'],
  properties: {
    bucket: { type: 'string', format: 'date-time' },
    value: { type: 'number' },
    lower: { type: 'number' },
    upper: { type: 'number' },
    pvalue: { type: 'number' },
    anomaly: { type: 'boolean' },
  },
};

export const MODEL_DECLARATION_SCHEMA = {
  type: 'object',
  required: ['owner', 'purpose'],
  additionalProperties: false,
  properties: {
    owner: { type: 'string' },
    purpose: { type: 'string' },
    provenance: {
      type: 'object',
      additionalProperties: false,
      properties: {
        training_data: { type: 'string' },
        code: { type: 'string' },
        registry_uri: { type: 'string' },
        digest: { type: 'string' },
      },
    },
    environment: { type: 'string' },
    expected_outcome_delay: { type: 'string', description: 'ISO 8601 duration, such as P30D.' },
    positive_label: { type: ['string', 'number', 'boolean'] },
    reasons: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['text', 'adverse'],
        additionalProperties: false,
        properties: { text: { type: 'string' }, adverse: { type: 'boolean' } },
      },
    },
  },
};

const revision = {
  type: 'object',
  required: ['revision', 'declared_at', 'declared_by', 'declaration'],
  properties: {
    revision: { type: 'integer', minimum: 1 },
    declared_at: { type: 'string', format: 'date-time' },
    declared_by: { type: 'string' },
    declaration: ref('ModelDeclaration'),
  },
};

const versionParams = [
  { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'version', in: 'path', required: true, schema: { type: 'string' } },
];

/** The model inventory and the analyses. */
export function analyticsPaths(): Paths {
  const paths: Paths = {
    '/v1/models': {
      get: {
        summary:
          'The model inventory: every version that decided or was declared (reviewers, auditors, admins)',
        responses: {
          '200': {
            description:
              'Per model and version: declared or not, first and last decision, decision, action and outcome counts.',
            content: json({
              type: 'object',
              required: ['models', 'undeclared'],
              properties: {
                models: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['name', 'versions'],
                    properties: {
                      name: { type: 'string' },
                      versions: { type: 'array', items: { type: 'object' } },
                    },
                  },
                },
                undeclared: { type: 'integer' },
              },
            }),
          },
        },
      },
    },
    '/v1/models/{name}/versions/{version}': {
      get: {
        summary:
          'A model version: its declaration, every revision and its use (reviewers, auditors, admins)',
        parameters: versionParams,
        responses: {
          '200': {
            description: 'The version.',
            content: json({
              type: 'object',
              required: ['name', 'version', 'declared', 'current', 'revisions'],
              properties: {
                name: { type: 'string' },
                version: { type: 'string' },
                declared: { type: 'boolean' },
                current: { oneOf: [revision, { type: 'null' }] },
                revisions: { type: 'array', items: revision },
              },
            }),
          },
          '404': error('Neither declared nor in the log.'),
        },
      },
      put: {
        summary:
          'Declares a model version (admins); other content makes a new revision, never an overwrite',
        parameters: versionParams,
        requestBody: { required: true, content: json(ref('ModelDeclaration')) },
        responses: {
          '200': {
            description: 'The same content as the revision in force: nothing new.',
            content: json({ type: 'object' }),
          },
          '201': { description: 'A new revision was kept.', content: json({ type: 'object' }) },
          '400': error('An invalid declaration (every bad field named) or name.'),
        },
      },
    },
  };
  const policy = {
    type: 'object',
    additionalProperties: false,
    properties: {
      name_pattern: {
        type: 'string',
        maxLength: 200,
        description: 'A regular expression every model name must match whole.',
      },
      version_pattern: {
        type: 'string',
        maxLength: 200,
        description: 'A regular expression every model version must match whole.',
      },
      undeclared: {
        enum: ['flag', 'refuse'],
        description: 'What ingest does with a decision by an undeclared version (default flag).',
      },
    },
  };
  const stored = {
    type: 'object',
    required: ['policy', 'updated_at', 'updated_by'],
    properties: {
      policy: { oneOf: [policy, { type: 'null' }] },
      updated_at: { type: ['string', 'null'] },
      updated_by: { type: ['string', 'null'] },
    },
  };
  paths['/v1/policies/models'] = {
    get: {
      summary:
        "The tenant's model naming convention and rule for undeclared versions (auditor, admin)",
      responses: {
        '200': { description: 'The policy, or nulls when none is set.', content: json(stored) },
      },
    },
    put: {
      summary:
        'Set the model naming convention and whether ingest refuses undeclared versions (admin)',
      requestBody: { required: true, content: json(policy) },
      responses: {
        '200': { description: 'The policy set.', content: json(stored) },
        '400': error('Invalid policy; details name every bad field.'),
      },
    },
    delete: {
      summary:
        'Remove the model policy (admin): any name is taken, undeclared versions are flagged',
      responses: {
        '200': {
          description: 'Whether there was a policy.',
          content: json({ type: 'object', properties: { removed: { type: 'boolean' } } }),
        },
      },
    },
  };
  for (const [name, answer] of Object.entries(ANSWERS)) {
    paths[`/v1/analyses/${name}`] = {
      get: {
        summary: `${answer.summary} (reviewers, auditors, admins)`,
        parameters: answer.params.map((param) => ({
          name: param,
          in: 'query',
          required:
            param === 'model' ? name !== 'quality' : param === 'cohort' || param === 'metric',
          description: PARAMETERS[param] ?? param,
          schema: { type: 'string' },
        })),
        responses: {
          '200': {
            description: 'The figures, the method and thresholds, the sample sizes and findings.',
            content: json(answer.schema),
          },
          '400': error(
            'A parameter is unknown, missing or malformed, or names a field nobody sent.',
          ),
        },
      },
    };
  }
  return paths;
}
