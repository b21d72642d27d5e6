import { ADMIN_AUTH } from './admin-key.js';
import { expect } from 'vitest';
import {
  decisionEvent,
  type ActionEvent,
  type AnnotationEvent,
  type DecisionEvent,
  type OutcomeEvent,
  type Stored,
} from './event-factory.js';

export interface ApiResponse<T> {
  readonly status: number;
  readonly contentType: string;
  readonly body: T;
}

export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details: readonly { index?: number; path: string; message: string }[];
  };
}

export interface IngestResult {
  readonly id: string;
  readonly seq: number;
  readonly status: 'created' | 'duplicate';
}

export interface DecisionChain {
  readonly decision: Stored<DecisionEvent>;
  readonly actions: Stored<ActionEvent>[];
  readonly outcomes: Stored<OutcomeEvent>[];
  readonly annotations: Stored<AnnotationEvent>[];
}

export interface DecisionPage {
  readonly items: Stored<DecisionEvent>[];
  readonly next_cursor: string | null;
}

/** Any JSON the server answers; tests narrow it with the interfaces above. */
export type Json = Record<string, unknown>;

/**
 * Sends a request and reads the answer as JSON (keeping the text if it is not JSON). It is
 * authenticated with the test admin key unless `init.headers` has its own `authorization`
 * (an empty one sends none).
 */
export async function request<T = Json>(
  baseUrl: string,
  path: string,
  init: RequestInit = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, withAuthorization(init));
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // leave non-JSON answers as text: the assertions on them then fail with the text shown
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: body as T,
  };
}

/** `POST /v1/events` with a raw body and content type (none when `contentType` is null). */
export function postBody<T = Json>(
  baseUrl: string,
  body: string | Uint8Array,
  contentType: string | null,
): Promise<ApiResponse<T>> {
  return request<T>(baseUrl, '/v1/events', {
    method: 'POST',
    headers: contentType === null ? {} : { 'content-type': contentType },
    body,
  });
}

/** `POST /v1/events` with `{"events": [...]}`. */
export function postEvents<T = { results: IngestResult[] }>(
  baseUrl: string,
  events: readonly unknown[],
): Promise<ApiResponse<T>> {
  return postBody<T>(baseUrl, JSON.stringify({ events }), 'application/json');
}

/** Posts events that must be accepted and returns the results. */
export async function ingestOk(
  baseUrl: string,
  events: readonly unknown[],
): Promise<IngestResult[]> {
  const response = await postEvents(baseUrl, events);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.results;
}

export function getJson<T = Json>(baseUrl: string, path: string): Promise<ApiResponse<T>> {
  return request<T>(baseUrl, path);
}

/** Asserts an API error answer and returns its `error` object. */
export function expectApiError(
  response: ApiResponse<unknown>,
  status: number,
  code: string,
): ApiErrorBody['error'] {
  const body = response.body as Partial<ApiErrorBody>;
  expect(
    { status: response.status, code: body.error?.code },
    JSON.stringify(response.body).slice(0, 500),
  ).toEqual({
    status,
    code,
  });
  expect(response.contentType).toMatch(/^application\/json/);
  expect(body.error?.message).toEqual(expect.any(String));
  expect(Array.isArray(body.error?.details)).toBe(true);
  return body.error as ApiErrorBody['error'];
}

/**
 * The number of events in the log, learnt by appending a fresh decision and reading its `seq`
 * (the probe itself is then the last event).
 */
export async function probeLogSize(baseUrl: string): Promise<number> {
  const [result] = await ingestOk(baseUrl, [decisionEvent({ labels: { probe: 'yes' } })]);
  if (!result) throw new Error('probe got no result');
  return result.seq;
}

/** Runs `action` and asserts that it appended nothing to the log. */
export async function expectNothingStored(
  baseUrl: string,
  action: () => Promise<unknown>,
): Promise<void> {
  const before = await probeLogSize(baseUrl);
  await action();
  const after = await probeLogSize(baseUrl);
  expect(after, 'events were stored although the request was rejected').toBe(before + 1);
}

/** `init` with the test admin key's authorization, unless it sets its own (empty: none). */
export function withAuthorization(init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', ADMIN_AUTH.authorization);
  else if (headers.get('authorization') === '') headers.delete('authorization');
  return { ...init, headers };
}
