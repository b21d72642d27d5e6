import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
  uniqueId,
} from './helpers/event-factory.js';
import { getJson, postEvents, request, type Json } from './helpers/http-api.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore } from './helpers/test-store.js';

// The served /openapi.json, checked against what the server really answers: every answer of a
// read or write below must validate against the document's schema for it, with a JSON Schema
// 2020-12 validator, as a client generated from the document would expect.

const tmp = useTempDir('openapi-responses');
const DOCUMENT_ID = 'https://declog.test/openapi.json';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly style?: string;
  readonly explode?: boolean;
  readonly example?: unknown;
  readonly schema?: object;
}
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  readonly components: object;
}

let server: ServerProcess;
let document: OpenApiDocument;
let ajv: Ajv2020;

beforeAll(async () => {
  server = await startServerOn(await testStore(tmp, 'openapi'));
  const served = await request<OpenApiDocument>(server.url, '/openapi.json');
  expect(served.status).toBe(200);
  document = served.body;
  // strict: an unknown keyword or format in the document fails the test instead of being
  // ignored; the two OpenAPI members that hold schemas are the only other words allowed.
  ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  ajvFormats.default(ajv);
  ajv.addVocabulary(['paths', 'components']);
  ajv.addSchema({ $id: DOCUMENT_ID, paths: document.paths, components: document.components });
});
afterAll(() => server?.stop());

/** RFC 6901 pointer token of one member name. */
const token = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');

/** The validator of the JSON answer of `method path` with `status`, as the document gives it. */
function answerSchema(method: string, path: string, status: number): ValidateFunction {
  const route = ['paths', path, method, 'responses', String(status)];
  const pointer = [...route, 'content', 'application/json', 'schema'].map(token).join('/');
  return ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
}

/** The validator of one component schema. */
const componentSchema = (name: string) =>
  ajv.compile({ $ref: `${DOCUMENT_ID}#/components/schemas/${name}` });

/** Asserts that `body` is what the document promises for `method path` answering `status`. */
function expectDocumented(method: string, path: string, status: number, body: unknown): void {
  const validate = answerSchema(method, path, status);
  const valid = validate(body);
  expect(
    valid,
    `${method.toUpperCase()} ${path} ${status} answered outside its schema:\n` +
      `${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(body)}`,
  ).toBe(true);
}

async function read(path: string): Promise<Json> {
  const answer = await getJson(server.url, path);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function post(events: readonly unknown[]): Promise<{ results: { seq: number }[] }> {
  const answer = await postEvents(server.url, events);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expectDocumented('post', '/v1/events', 200, answer.body);
  return answer.body;
}

describe('the answers of the decision log match the served OpenAPI document', () => {
  const subject = uniqueId('subject');
  const decision = decisionEvent({
    subject: { id: subject },
    input: { ref: 's3://applications/17', features: { income: 54000, employer: 'Acme Ltd' } },
    cohort: { segment: 'b' },
    rationale: {
      summary: 'Income covers the instalment',
      reasons: [{ code: 'income_ratio', weight: 0.6, detail: 'ratio 0.31' }],
    },
  });
  const decisionId = idOf(decision);
  const action = actionEvent(decisionId, {
    action: {
      kind: 'automated',
      name: 'approve_loan',
      actor: { type: 'system', id: 'loan-engine' },
      details: { limit: 5000 },
    },
  });
  const outcome = outcomeEvent(decisionId);
  outcome.outcome.action_id = idOf(action);
  const annotation = annotationEvent(decisionId);
  let seqs: number[] = [];

  beforeAll(async () => {
    const { results } = await post([decision, action, outcome, annotation]);
    seqs = results.map((result) => result.seq);
  });

  it('GET /v1/decisions/{id}: the chain, with the sealed values opened', async () => {
    const chain = await read(`/v1/decisions/${decisionId}`);
    // The decision was sealed: reads carry `personal` beside the values put back.
    expect(chain['decision']).toMatchObject({
      input: { features: { income: 54000, employer: 'Acme Ltd' } },
      personal: { fields: ['/cohort', '/input/features'], sealed: true },
    });
    expect(chain).toMatchObject({
      actions: [{ id: idOf(action) }],
      outcomes: [{ id: idOf(outcome) }],
      annotations: [{ id: idOf(annotation) }],
    });
    expectDocumented('get', '/v1/decisions/{id}', 200, chain);
  });

  it('GET /v1/decisions/{id}?proof=true: the leaf form with proofs', async () => {
    const chain = await read(`/v1/decisions/${decisionId}?proof=true`);
    expect(chain['decision']).toMatchObject({
      personal: { fields: ['/cohort', '/input/features'] },
    });
    expect(chain['decision']).not.toHaveProperty('input.features');
    expect(chain).toHaveProperty('proofs');
    expectDocumented('get', '/v1/decisions/{id}', 200, chain);
  });

  it('GET /v1/decisions: a page of decisions', async () => {
    const page = await read(`/v1/decisions?subject=${subject}`);
    expect(page['items']).toMatchObject([{ id: decisionId, personal: { sealed: true } }]);
    expectDocumented('get', '/v1/decisions', 200, page);
  });

  it('GET /v1/actions/{id}: the action with its decision', async () => {
    const answer = await read(`/v1/actions/${idOf(action)}`);
    expect(answer).toMatchObject({ action: { id: idOf(action) }, decision: { id: decisionId } });
    expectDocumented('get', '/v1/actions/{id}', 200, answer);
  });

  it('GET /v1/events/{seq} and GET /v1/events: the entries as the leaves hold them', async () => {
    expect(seqs).toHaveLength(4);
    for (const seq of seqs) {
      expectDocumented('get', '/v1/events/{seq}', 200, await read(`/v1/events/${seq}`));
    }
    const page = await read(`/v1/events?from=${seqs[0]}&limit=4`);
    expect(page['items']).toHaveLength(4);
    expectDocumented('get', '/v1/events', 200, page);
  });

  it('GET /v1/access-log/entries/{seq}: an access trail entry', async () => {
    const entry = await read('/v1/access-log/entries/0');
    expect(entry).toMatchObject({ seq: 0, event: { type: 'access' } });
    expectDocumented('get', '/v1/access-log/entries/{seq}', 200, entry);
  });

  it('reads of an erased subject, erased before and after its decisions arrived', async () => {
    const erased = uniqueId('subject');
    const before = decisionEvent({ subject: { id: erased }, input: { features: { age: 41 } } });
    await post([before]);
    const erasure = await request(server.url, `/v1/subjects/${erased}`, { method: 'DELETE' });
    expect(erasure.status).toBe(200);
    const after = decisionEvent({ subject: { id: erased }, cohort: { segment: 'c' } });
    await post([after]);
    for (const id of [idOf(before), idOf(after)]) {
      const chain = await read(`/v1/decisions/${id}`);
      expect(chain['decision']).toMatchObject({ personal: { erased: true } });
      expectDocumented('get', '/v1/decisions/{id}', 200, chain);
    }
  });

  it('refuses what the server never answers: the schemas are closed', async () => {
    const { decision: opened } = (await read(`/v1/decisions/${decisionId}`)) as {
      decision: Json & { personal: Json };
    };
    const storedDecision = componentSchema('StoredDecision');
    expect(storedDecision(opened)).toBe(true);
    const { seq: _seq, ...withoutSeq } = opened;
    expect(storedDecision(withoutSeq)).toBe(false);
    expect(storedDecision({ ...opened, unknown: 1 })).toBe(false);
    expect(storedDecision({ ...opened, personal: { ...opened.personal, salt: 'x' } })).toBe(false);
    expect(storedDecision({ ...opened, personal: { ...opened.personal, sealed: false } })).toBe(
      false,
    );
  });
});

describe('the label filter of GET /v1/decisions', () => {
  /** The query pairs of an object-valued query parameter, per its OpenAPI style. */
  function queryPairs(parameter: Parameter, value: Record<string, string>): [string, string][] {
    const style = parameter.style ?? 'form';
    const entries = Object.entries(value);
    if (style === 'form' && (parameter.explode ?? true)) return entries;
    if (style === 'deepObject') return entries.map(([k, v]) => [`${parameter.name}[${k}]`, v]);
    throw new Error(`the test does not serialize style ${style} of ${parameter.name}`);
  }

  it('filters by a label when sent as the document describes it', async () => {
    const parameter = document.paths['/v1/decisions']?.['get']?.parameters?.find(
      (p) => p.name === 'label',
    );
    expect(parameter, 'GET /v1/decisions documents no label parameter').toBeDefined();
    if (!parameter) return;
    // What a client sends for "team is risk": the document's example, or else the label as a
    // member of the object the parameter's schema describes.
    const value = (parameter.example ?? { team: 'risk' }) as Record<string, string>;
    expect(ajv.validate(parameter.schema ?? {}, value), 'value outside the schema').toBe(true);

    const subject = uniqueId('subject');
    const risk = decisionEvent({ subject: { id: subject }, labels: { team: 'risk' } });
    await post([risk, decisionEvent({ subject: { id: subject }, labels: { team: 'growth' } })]);
    const query = new URLSearchParams([...queryPairs(parameter, value), ['subject', subject]]);
    const page = await getJson<{ items: { id: string }[] }>(server.url, `/v1/decisions?${query}`);
    expect(page.status, `${query}: ${JSON.stringify(page.body)}`).toBe(200);
    expect(page.body.items.map((item) => item.id)).toEqual([idOf(risk)]);
  });
});
