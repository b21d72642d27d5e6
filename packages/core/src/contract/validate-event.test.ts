import { describe, expect, test } from 'vitest';
import { validateEvent } from './validate-event.js';
import type { ValidationIssue } from './validation-issue.js';

const AT = '2026-11-27T10:00:00Z';
const UNKNOWN = 'unknown field (free-form data belongs in labels, details or input.features)';
const BAD_ID = 'must be 1-128 characters of A-Z a-z 0-9 . _ : -';
const BAD_TIME = 'must be an RFC 3339 timestamp with an offset';
const BAD_TYPE = 'must be one of decision, action, outcome, annotation';

const DECISION = {
  id: 'dec-0001',
  type: 'decision',
  occurred_at: AT,
  model: { name: 'credit-risk', version: '4.2.0' },
  prediction: { label: 'approve' },
  rationale: { summary: 'Stable income and no missed payments in 24 months.' },
};

const FULL_DECISION = {
  ...DECISION,
  model: {
    name: 'credit-risk',
    version: '4.2.0',
    uri: 'https://models.example.com/credit-risk/4.2.0',
    digest: 'sha256:9f86d081884c7d65',
  },
  prediction: { label: 'approve', score: 0.91, value: { limit: 5000 } },
  confidence: 0.87,
  rationale: {
    summary: 'Stable income and no missed payments in 24 months.',
    reasons: [{ code: 'INCOME_STABLE', weight: 0.6, detail: 'Same employer for 6 years.' }],
    policy: { name: 'consumer-credit', version: '2026-03' },
    method: 'shap',
  },
  input: {
    ref: 's3://features/2026/11/27/app-77.json',
    digest: 'sha256:2c26b46b68ffc68f',
    features: { income: 52000, region: 'EU', first_loan: true, employer: null },
  },
  subject: { id: 'applicant-77' },
  cohort: { region: 'EU', segment: 'retail' },
  context: {
    actor: 'loan-service',
    channel: 'web',
    request_id: 'req-1',
    trace_id: 'trace-1',
    environment: 'production',
    domain: 'lending',
  },
  labels: { team: 'risk', 'team name': 'Risk Analytics' },
};

const ACTION = {
  id: 'act-0001',
  type: 'action',
  occurred_at: AT,
  decision_id: 'dec-0001',
  action: { kind: 'automated', name: 'approve_application', actor: { type: 'system', id: 'svc' } },
};

const OUTCOME = {
  type: 'outcome',
  occurred_at: AT,
  decision_id: 'dec-0001',
  outcome: { status: 'success' },
};

const ANNOTATION = {
  type: 'annotation',
  occurred_at: AT,
  decision_id: 'dec-0001',
  annotation: { text: 'Reviewed by the credit committee.' },
};

const REMOVE = Symbol('remove');

/** A deep copy of `base` with the field at the dotted `path` replaced (or removed). */
function edit(base: object, path: string, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let parent = copy;
  for (const key of keys) parent = parent[key] as Record<string, unknown>;
  if (value === REMOVE) Reflect.deleteProperty(parent, last);
  else parent[last] = value;
  return copy;
}

function issuesOf(event: unknown): readonly ValidationIssue[] {
  const result = validateEvent(event);
  if (result.ok) throw new Error(`expected a rejection of ${JSON.stringify(event)}`);
  return result.issues;
}

function expectValid(event: unknown): void {
  const result = validateEvent(event);
  expect(result.ok ? [] : result.issues).toEqual([]);
}

const issue = (path: string, message: string): ValidationIssue => ({ path, message });

describe('validateEvent: valid events', () => {
  test.each([
    ['decision', DECISION],
    ['decision with every optional field', FULL_DECISION],
    ['action', ACTION],
    ['outcome', OUTCOME],
    ['annotation', ANNOTATION],
  ])('accepts a %s', (_name, event) => {
    expectValid(event);
  });

  test('returns the event exactly as submitted', () => {
    const result = validateEvent(FULL_DECISION);
    expect(result).toEqual({ ok: true, event: FULL_DECISION });
  });
});

describe('validateEvent: the envelope', () => {
  test.each([null, [], [DECISION], 'decision', 42, true])(
    'rejects %j, which is not an object',
    (value) => {
      expect(issuesOf(value)).toEqual([issue('', 'must be a JSON object')]);
    },
  );

  test.each([
    ['missing', REMOVE],
    ['unknown', 'prediction'],
    ['in the wrong case', 'Decision'],
    ['a number', 1],
  ])('rejects a type that is %s', (_name, type) => {
    expect(issuesOf(edit(DECISION, 'type', type))).toEqual([issue('type', BAD_TYPE)]);
  });

  test('id is optional', () => {
    expectValid(edit(DECISION, 'id', REMOVE));
  });

  test.each(['a', 'a'.repeat(128), 'AZaz09._:-', 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e'])(
    'accepts the id %s',
    (id) => {
      expectValid(edit(DECISION, 'id', id));
    },
  );

  test.each(['', 'a'.repeat(129), 'dec 1', 'dec/1', 'dec#1', 'décision', 'dec\n'])(
    'rejects the id %j',
    (id) => {
      expect(issuesOf(edit(DECISION, 'id', id))).toEqual([issue('id', BAD_ID)]);
    },
  );

  test('rejects an id that is not a string', () => {
    expect(issuesOf(edit(DECISION, 'id', 1))).toEqual([
      issue('id', 'expected string, received number'),
    ]);
  });

  test('occurred_at is required', () => {
    expect(issuesOf(edit(DECISION, 'occurred_at', REMOVE))).toEqual([
      issue('occurred_at', 'is required'),
    ]);
  });

  test.each([
    '2026-11-27T10:00:00Z',
    '2026-11-27T10:00:00.123+05:30',
    '2026-11-27T10:00:00.123456789Z',
    '2026-11-27T10:00:00-08:00',
    '2026-11-27T10:00:00-00:00',
    '2028-02-29T10:00:00Z',
  ])('accepts the timestamp %s', (at) => {
    expectValid(edit(DECISION, 'occurred_at', at));
  });

  test.each([
    ['without an offset', '2026-11-27T10:00:00'],
    ['without seconds', '2026-11-27T10:00Z'],
    ['date only', '2026-11-27'],
    ['with an offset without colon', '2026-11-27T10:00:00+0530'],
    ['with an empty fraction', '2026-11-27T10:00:00.Z'],
    ['with a space separator', '2026-11-27 10:00:00Z'],
    ['with lower-case t and z', '2026-11-27t10:00:00z'],
    ['in epoch milliseconds', 1795773600000],
  ])('rejects a timestamp %s as malformed', (_name, at) => {
    expect(issuesOf(edit(DECISION, 'occurred_at', at))).toEqual([issue('occurred_at', BAD_TIME)]);
  });

  test.each([
    [
      'on February 30',
      '2026-02-30T10:00:00Z',
      'the date 2026-02-30 does not exist: February 2026 has 28 days',
    ],
    [
      'on February 29 of a common year',
      '2026-02-29T10:00:00Z',
      'the date 2026-02-29 does not exist: February 2026 has 28 days',
    ],
    [
      'on April 31',
      '2026-04-31T10:00:00Z',
      'the date 2026-04-31 does not exist: April 2026 has 30 days',
    ],
    [
      'in month 13',
      '2026-13-01T10:00:00Z',
      'the date 2026-13-01 does not exist: there is no month 13',
    ],
    [
      'at hour 24',
      '2026-11-27T24:00:00Z',
      '24:00:00 is not a time of day (hours 00-23, minutes and seconds 00-59)',
    ],
    [
      'at a leap second',
      '2026-12-31T23:59:60Z',
      '23:59:60 is not a time of day (hours 00-23, minutes and seconds 00-59)',
    ],
    [
      'with an offset of 24 hours',
      '2026-11-27T10:00:00+24:00',
      'the offset +24:00 does not exist (hours 00-23, minutes 00-59)',
    ],
  ])('rejects a timestamp %s, saying that it does not exist', (_name, at, message) => {
    expect(issuesOf(edit(DECISION, 'occurred_at', at))).toEqual([issue('occurred_at', message)]);
  });

  test.each([
    ['action', ACTION],
    ['outcome', OUTCOME],
    ['annotation', ANNOTATION],
  ])('decision_id is required on an %s', (_name, event) => {
    expect(issuesOf(edit(event, 'decision_id', REMOVE))).toEqual([
      issue('decision_id', 'is required'),
    ]);
  });

  test.each(['', 'dec 1', 'd'.repeat(129)])('rejects the decision_id %j', (id) => {
    expect(issuesOf(edit(ACTION, 'decision_id', id))).toEqual([issue('decision_id', BAD_ID)]);
  });

  test('a decision has no decision_id', () => {
    expect(issuesOf({ ...DECISION, decision_id: 'dec-0000' })).toEqual([
      issue('decision_id', UNKNOWN),
    ]);
  });
});

describe('validateEvent: decision', () => {
  test('names every missing top-level field', () => {
    expect(issuesOf({ type: 'decision' })).toEqual([
      issue('occurred_at', 'is required'),
      issue('model', 'is required'),
      issue('prediction', 'is required'),
      issue('rationale', 'is required'),
    ]);
  });

  test.each([
    'model.name',
    'model.version',
    'rationale.summary',
    'rationale.reasons.0.code',
    'rationale.policy.name',
    'rationale.policy.version',
    'subject.id',
  ])('%s is required', (path) => {
    expect(issuesOf(edit(FULL_DECISION, path, REMOVE))).toEqual([
      issue(path.replace('.0.', '[0].'), 'is required'),
    ]);
  });

  test.each([
    ['model', 'credit-risk', 'expected object, received string'],
    ['model.name', 7, 'expected string, received number'],
    ['model.name', '', 'must not be empty'],
    ['model.name', 'm'.repeat(257), 'too big: expected string to have <=256 characters'],
    ['model.version', 4.2, 'expected string, received number'],
    ['model.uri', 'not a uri', 'must be a URI'],
    ['model.digest', 1, 'expected string, received number'],
    ['prediction', 'approve', 'expected object, received string'],
    ['prediction.score', '0.91', 'expected number, received string'],
    ['confidence', '0.9', 'expected number, received string'],
    ['confidence', -0.01, 'too small: expected number to be >=0'],
    ['confidence', 1.01, 'too big: expected number to be <=1'],
    ['rationale', 'because', 'expected object, received string'],
    ['rationale.summary', '', 'must not be empty'],
    ['rationale.summary', 's'.repeat(2001), 'too big: expected string to have <=2000 characters'],
    ['rationale.reasons', { code: 'X' }, 'expected array, received object'],
    ['rationale.reasons.0.code', 1, 'expected string, received number'],
    ['rationale.reasons.0.weight', 'high', 'expected number, received string'],
    ['rationale.reasons.0.detail', 1, 'expected string, received number'],
    ['rationale.policy', 'consumer-credit', 'expected object, received string'],
    ['rationale.method', 1, 'expected string, received number'],
    ['input', 's3://x', 'expected object, received string'],
    ['input', {}, 'needs at least one of ref, digest, features'],
    ['input.ref', 'features/77.json', 'must be a URI'],
    ['input.digest', 1, 'expected string, received number'],
    ['subject', 'applicant-77', 'expected object, received string'],
    ['subject.id', 77, 'expected string, received number'],
    ['cohort.region', 1, 'expected string, received number'],
    ['context.actor', 1, 'expected string, received number'],
    ['context.channel', 1, 'expected string, received number'],
    ['context.request_id', 1, 'expected string, received number'],
    ['context.trace_id', 1, 'expected string, received number'],
    ['context.environment', 1, 'expected string, received number'],
    ['context.domain', 1, 'expected string, received number'],
    ['labels.team', 1, 'expected string, received number'],
  ])('rejects %s = %j', (path, value, message) => {
    expect(issuesOf(edit(FULL_DECISION, path, value))).toEqual([
      issue(path.replace('.0.', '[0].'), message),
    ]);
  });

  test('quotes label keys that are not identifiers in the path', () => {
    expect(issuesOf(edit(FULL_DECISION, 'labels.team name', false))).toEqual([
      issue('labels["team name"]', 'expected string, received boolean'),
    ]);
  });

  test.each([0, 0.5, 1])('accepts confidence %d', (confidence) => {
    expectValid({ ...DECISION, confidence });
  });

  test('accepts a summary of 2000 characters', () => {
    expectValid(edit(DECISION, 'rationale.summary', 's'.repeat(2000)));
  });

  test('counts summary length in Unicode code points', () => {
    expectValid(edit(DECISION, 'rationale.summary', '😀'.repeat(2000)));
    expect(issuesOf(edit(DECISION, 'rationale.summary', '😀'.repeat(2001)))).toEqual([
      issue('rationale.summary', 'too big: expected string to have <=2000 characters'),
    ]);
  });

  test.each([
    ['only a string label', { label: 'approve' }],
    ['only a number label', { label: 3 }],
    ['only a boolean label', { label: false }],
    ['only a score', { score: -2.5 }],
    ['only a null value', { value: null }],
    ['only an array value', { value: [0.1, 0.9] }],
    ['an object value', { value: { limit: 5000, terms: [12, 24] } }],
  ])('accepts a prediction with %s', (_name, prediction) => {
    expectValid({ ...DECISION, prediction });
  });

  test.each([
    ['an object', {}],
    ['an array', ['approve']],
    ['null', null],
  ])('rejects a prediction label that is %s', (_name, label) => {
    expect(issuesOf({ ...DECISION, prediction: { label } })).toEqual([
      { path: 'prediction.label', message: expect.any(String) },
    ]);
  });

  test('a prediction needs at least one of label, score, value', () => {
    expect(issuesOf({ ...DECISION, prediction: {} })).toEqual([
      issue('prediction', 'needs at least one of label, score, value'),
    ]);
  });

  test.each([
    ['ref', { ref: 'https://data.example.com/app/77' }],
    ['digest', { digest: 'sha256:2c26b46b68ffc68f' }],
    ['features', { features: { income: 52000 } }],
  ])('accepts input with only %s', (_name, input) => {
    expectValid({ ...DECISION, input });
  });

  test('rejects a prediction label that is not a scalar', () => {
    expect(issuesOf(edit(DECISION, 'prediction.label', { a: 1 }))).toEqual([
      issue('prediction.label', 'must be a string, number or boolean'),
    ]);
  });

  test('rejects features that are not an object', () => {
    expect(issuesOf(edit(FULL_DECISION, 'input.features', [1, 2]))).toEqual([
      issue('input.features', 'must be an object, not an array'),
    ]);
  });

  test.each([
    ['an object', { nested: 1 }],
    ['an array', [1]],
  ])('rejects a feature value that is %s', (_name, value) => {
    expect(issuesOf(edit(FULL_DECISION, 'input.features.income', value))).toEqual([
      issue('input.features.income', 'must be a string, number or boolean or null'),
    ]);
  });

  test.each([
    ['an empty key', '', 'labels[""]'],
    ['a key of 257 characters', 'k'.repeat(257), `labels.${'k'.repeat(257)}`],
  ])('rejects a label with %s', (_name, key, path) => {
    expect(issuesOf({ ...DECISION, labels: { [key]: 'x' } })).toEqual([
      issue(path, 'keys must be 1-256 characters'),
    ]);
  });
});

describe('validateEvent: action', () => {
  test('names every missing field', () => {
    expect(issuesOf({ type: 'action' })).toEqual([
      issue('occurred_at', 'is required'),
      issue('decision_id', 'is required'),
      issue('action', 'is required'),
    ]);
    expect(issuesOf({ ...ACTION, action: {} })).toEqual([
      issue('action.kind', 'is required'),
      issue('action.name', 'is required'),
      issue('action.actor', 'is required'),
    ]);
    expect(issuesOf(edit(ACTION, 'action.actor', {}))).toEqual([
      issue('action.actor.type', 'is required'),
      issue('action.actor.id', 'is required'),
    ]);
  });

  test.each(['recommendation', 'automated', 'human_review', 'escalation', 'override', 'other'])(
    'accepts the kind %s',
    (kind) => {
      expectValid(edit(ACTION, 'action.kind', kind));
    },
  );

  test.each([
    [
      'action.kind',
      'manual',
      'must be one of recommendation, automated, human_review, escalation, override, other',
    ],
    [
      'action.kind',
      'Automated',
      'must be one of recommendation, automated, human_review, escalation, override, other',
    ],
    ['action.name', 1, 'expected string, received number'],
    ['action.actor', 'svc', 'expected object, received string'],
    ['action.actor.type', 'robot', 'must be one of system, human'],
    ['action.actor.id', 1, 'expected string, received number'],
  ])('rejects %s = %j', (path, value, message) => {
    expect(issuesOf(edit(ACTION, path, value))).toEqual([issue(path, message)]);
  });

  test.each(['system', 'human'])('accepts the actor type %s', (type) => {
    expectValid(edit(ACTION, 'action.actor.type', type));
  });

  test.each([
    ['a string', 'approved'],
    ['an array', [1]],
  ])('rejects details that are %s', (_name, details) => {
    expect(issuesOf(edit(ACTION, 'action.details', details))).toEqual([
      { path: 'action.details', message: expect.any(String) },
    ]);
  });

  test('details is free-form', () => {
    expectValid(
      edit(ACTION, 'action.details', { limit: 5000, terms: [{ months: 12 }], note: null }),
    );
  });
});

describe('validateEvent: outcome', () => {
  test('names every missing field', () => {
    expect(issuesOf({ type: 'outcome' })).toEqual([
      issue('occurred_at', 'is required'),
      issue('decision_id', 'is required'),
      issue('outcome', 'is required'),
    ]);
    expect(issuesOf({ ...OUTCOME, outcome: {} })).toEqual([issue('outcome.status', 'is required')]);
  });

  test.each(['success', 'failure', 'neutral', 'unknown'])('accepts the status %s', (status) => {
    expectValid(edit(OUTCOME, 'outcome.status', status));
  });

  test('accepts every optional field', () => {
    expectValid({
      ...OUTCOME,
      outcome: {
        status: 'failure',
        label: 'default',
        value: -1250.5,
        source: 'ledger',
        action_id: 'act-0001',
      },
    });
  });

  test.each([
    ['outcome.status', 'ok', 'must be one of success, failure, neutral, unknown'],
    ['outcome.value', '12', 'expected number, received string'],
    ['outcome.source', 1, 'expected string, received number'],
    ['outcome.action_id', 'act 1', BAD_ID],
  ])('rejects %s = %j', (path, value, message) => {
    expect(issuesOf(edit(OUTCOME, path, value))).toEqual([issue(path, message)]);
  });

  test('rejects a label that is not a scalar', () => {
    expect(issuesOf(edit(OUTCOME, 'outcome.label', { a: 1 }))).toEqual([
      { path: 'outcome.label', message: expect.any(String) },
    ]);
  });
});

describe('validateEvent: annotation', () => {
  test('names every missing field', () => {
    expect(issuesOf({ type: 'annotation' })).toEqual([
      issue('occurred_at', 'is required'),
      issue('decision_id', 'is required'),
      issue('annotation', 'is required'),
    ]);
    expect(issuesOf({ ...ANNOTATION, annotation: {} })).toEqual([
      issue('annotation.text', 'is required'),
    ]);
  });

  test('accepts tags and author', () => {
    expectValid(edit(ANNOTATION, 'annotation', { text: 'Fine.', tags: ['audit'], author: 'ana' }));
  });

  test.each([
    ['annotation.text', '', 'must not be empty'],
    ['annotation.tags', 'audit', 'expected array, received string'],
    ['annotation.author', 1, 'expected string, received number'],
  ])('rejects %s = %j', (path, value, message) => {
    expect(issuesOf(edit(ANNOTATION, path, value))).toEqual([issue(path, message)]);
  });

  test('points at the bad tag', () => {
    expect(issuesOf(edit(ANNOTATION, 'annotation.tags', ['audit', 2]))).toEqual([
      issue('annotation.tags[1]', 'expected string, received number'),
    ]);
  });
});

describe('validateEvent: unknown fields', () => {
  test.each([
    ['a top-level field', DECISION, 'extra', 'extra'],
    ['seq, which the log assigns', DECISION, 'seq', 'seq'],
    ['recorded_at, which the log assigns', OUTCOME, 'recorded_at', 'recorded_at'],
    ['a field of another event type', OUTCOME, 'model', 'model'],
    ['a model field', DECISION, 'model.family', 'model.family'],
    ['a model field with a space', DECISION, 'model.weird key', 'model["weird key"]'],
    ['a prediction field', DECISION, 'prediction.class', 'prediction.class'],
    ['a reason field', FULL_DECISION, 'rationale.reasons.0.why', 'rationale.reasons[0].why'],
    ['a policy field', FULL_DECISION, 'rationale.policy.owner', 'rationale.policy.owner'],
    ['an input field', FULL_DECISION, 'input.features_ref', 'input.features_ref'],
    ['a subject field', FULL_DECISION, 'subject.name', 'subject.name'],
    ['a context field', FULL_DECISION, 'context.user', 'context.user'],
    ['an action field', ACTION, 'action.reason', 'action.reason'],
    ['an actor field', ACTION, 'action.actor.email', 'action.actor.email'],
    ['an outcome field', OUTCOME, 'outcome.amount', 'outcome.amount'],
    ['an annotation field', ANNOTATION, 'annotation.by', 'annotation.by'],
  ])('rejects %s and points at it', (_name, base, field, path) => {
    expect(issuesOf(edit(base, field, 'x'))).toEqual([issue(path, UNKNOWN)]);
  });

  test('rejects __proto__ as an ordinary unknown field', () => {
    const event: unknown = JSON.parse(
      `{"__proto__":{"admin":true},${JSON.stringify(OUTCOME).slice(1)}`,
    );
    expect(issuesOf(event)).toEqual([issue('__proto__', UNKNOWN)]);
  });

  test('names each unknown field of one object', () => {
    expect(issuesOf({ ...OUTCOME, a: 1, b: 2 })).toEqual([
      issue('a', UNKNOWN),
      issue('b', UNKNOWN),
    ]);
  });
});

describe('validateEvent: several problems', () => {
  test('reports every problem of one event', () => {
    const event = {
      ...FULL_DECISION,
      id: 'dec 1',
      occurred_at: '2026-02-30T10:00:00Z',
      model: { name: 'credit-risk' },
      confidence: 2,
      rationale: { summary: '', reasons: [{ code: 'A' }, { weight: 1 }] },
      labels: { team: 1 },
      extra: true,
    };
    expect(issuesOf(event)).toEqual([
      issue('id', BAD_ID),
      issue('occurred_at', 'the date 2026-02-30 does not exist: February 2026 has 28 days'),
      issue('model.version', 'is required'),
      issue('confidence', 'too big: expected number to be <=1'),
      issue('rationale.summary', 'must not be empty'),
      issue('rationale.reasons[1].code', 'is required'),
      issue('labels.team', 'expected string, received number'),
      issue('extra', UNKNOWN),
    ]);
  });
});

describe('validateEvent: nesting depth', () => {
  /** `depth` levels of objects and arrays: `{"a":[{"a":[…]}]}`, ending in `null`. */
  function nested(depth: number): unknown {
    let value: unknown = null;
    for (let level = depth; level >= 1; level -= 1)
      value = level % 2 === 1 ? { a: value } : [value];
    return value;
  }
  const DEEP = `nests deeper than 32 levels of objects and arrays (the event itself is level 1)`;
  const deepPath = (base: string, levels: number) => {
    let path = base;
    for (let level = 1; level <= levels; level += 1) path += level % 2 === 1 ? '.a' : '[0]';
    return path;
  };

  test('accepts 32 levels: the event, prediction, and 30 levels of prediction.value', () => {
    expectValid(edit(DECISION, 'prediction', { value: nested(30) }));
    expectValid(edit(ACTION, 'action.details', { trace: nested(29) }));
  });

  test('refuses level 33, naming the path to it', () => {
    // prediction.value is level 3: its 31st level is the event's 33rd.
    expect(issuesOf(edit(DECISION, 'prediction', { value: nested(31) }))).toEqual([
      issue(deepPath('prediction.value', 30), DEEP),
    ]);
    expect(issuesOf(edit(ACTION, 'action.details', { trace: nested(30) }))).toEqual([
      issue(deepPath('action.details.trace', 29), DEEP),
    ]);
  });

  test('names the first member too deep, in document order', () => {
    const value = { short: [[1]], long: nested(40), later: nested(40) };
    expect(issuesOf(edit(DECISION, 'prediction', { value }))).toEqual([
      issue(deepPath('prediction.value.long', 29), DEEP),
    ]);
  });

  test('refuses 100,000 levels quickly, and without exhausting the stack', () => {
    const started = performance.now();
    const event = edit(DECISION, 'prediction', { value: 0 }) as { prediction: { value: unknown } };
    event.prediction.value = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(issuesOf(event)).toEqual([issue(`prediction.value${'[0]'.repeat(30)}`, DEEP)]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('names nesting too deep where the contract wants no object at all', () => {
    const event = edit(ANNOTATION, 'annotation.tags', [nested(40)]);
    expect(issuesOf(event)).toEqual([
      issue('annotation.tags[0]', 'expected string, received object'),
      issue(deepPath('annotation.tags[0]', 29), DEEP),
    ]);
  });

  test('with depthLimit false, accepts what was stored before the limit', () => {
    const event = edit(DECISION, 'prediction', { value: nested(1000) });
    expect(validateEvent(event, { depthLimit: false }).ok).toBe(true);
  });
});

describe('validateEvent: prototype keys are data', () => {
  test('keeps __proto__, constructor and prototype members of every free-form object', () => {
    const keys = '"__proto__":"a","constructor":"b","prototype":"c"';
    const decision = JSON.parse(
      `{"type":"decision","occurred_at":"${AT}","model":{"name":"m","version":"1"},` +
        `"prediction":{"value":{${keys},"nested":{"__proto__":{"x":1}}}},"rationale":{"summary":"s"},` +
        `"labels":{${keys}},"cohort":{${keys}},"input":{"features":{${keys}}}}`,
    ) as Record<string, Record<string, unknown>>;
    const result = validateEvent(decision);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const event = result.event as unknown as Record<string, Record<string, object>>;
    for (const record of [event['labels'], event['cohort'], event['input']?.['features']]) {
      expect(Object.keys(record ?? {})).toEqual(['__proto__', 'constructor', 'prototype']);
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    }
    const value = event['prediction']?.['value'] as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'prototype', 'nested']);

    const action = JSON.parse(
      `{"type":"action","occurred_at":"${AT}","decision_id":"d","action":{"kind":"other",` +
        `"name":"n","actor":{"type":"system","id":"s"},"details":{${keys},"__proto__x":1}}}`,
    ) as unknown;
    const checked = validateEvent(action);
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    if (checked.event.type !== 'action') throw new Error('not an action');
    expect(Object.keys(checked.event.action.details ?? {})).toEqual([
      '__proto__',
      'constructor',
      'prototype',
      '__proto__x',
    ]);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  test('checks a __proto__ member as any other: a label must be a string', () => {
    const event = JSON.parse(
      `{"type":"decision","occurred_at":"${AT}","model":{"name":"m","version":"1"},` +
        `"prediction":{"label":"x"},"rationale":{"summary":"s"},"labels":{"__proto__":{"a":1}}}`,
    ) as unknown;
    expect(issuesOf(event)).toEqual([
      issue('labels.__proto__', 'expected string, received object'),
    ]);
  });
});
