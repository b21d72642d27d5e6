import { canonicalJson, canonicalMembers } from '../canonical-json.js';
import type {
  ActionEvent,
  AnnotationEvent,
  DecisionEvent,
  Event,
  OutcomeEvent,
} from '../contract/event-schema.js';

/**
 * The canonical members (`"name":value` texts, in canonical order) of a valid event with its
 * id settled: exactly what `canonicalMembers` gives, written by hand for the contract's own
 * objects, whose member names are fixed and can be emitted in order without sorting. Free-form
 * values (records, `prediction.value`, `action.details`) go through `canonicalJson`. This runs
 * once per ingested event; a property test holds it to `canonicalMembers`.
 *
 * @throws TypeError, RangeError as `canonicalJson` (a lone surrogate, a non-finite number).
 */
export function encodeMembers(event: Event & { readonly id: string }): string[] {
  // Members the server adds (masking's markers, a sealed event's `personal`) take the general way.
  if (SERVER_MEMBERS.some((name) => Object.hasOwn(event, name))) return canonicalMembers(event);
  switch (event.type) {
    case 'decision':
      return decisionMembers(event);
    case 'action':
      return actionMembers(event);
    case 'outcome':
      return outcomeMembers(event);
    case 'annotation':
      return annotationMembers(event);
  }
}

/** Members that are not the producer's: an event holding one is encoded in general. */
const SERVER_MEMBERS = ['erased', 'flagged', 'masked', 'personal', 'posted_by'] as const;

type Identified<E> = E & { readonly id: string };

function decisionMembers(e: Identified<DecisionEvent>): string[] {
  const out: string[] = [];
  if (e.cohort !== undefined) out.push(`"cohort":${record(e.cohort)}`);
  if (e.confidence !== undefined) out.push(`"confidence":${num(e.confidence)}`);
  const c = e.context;
  if (c !== undefined) {
    let t = '';
    if (c.actor !== undefined) t += `,"actor":${str(c.actor)}`;
    if (c.channel !== undefined) t += `,"channel":${str(c.channel)}`;
    if (c.domain !== undefined) t += `,"domain":${str(c.domain)}`;
    if (c.environment !== undefined) t += `,"environment":${str(c.environment)}`;
    if (c.request_id !== undefined) t += `,"request_id":${str(c.request_id)}`;
    if (c.trace_id !== undefined) t += `,"trace_id":${str(c.trace_id)}`;
    out.push(`"context":${object(t)}`);
  }
  out.push(`"id":${str(e.id)}`);
  const i = e.input;
  if (i !== undefined) {
    let t = '';
    if (i.digest !== undefined) t += `,"digest":${str(i.digest)}`;
    if (i.features !== undefined) t += `,"features":${record(i.features)}`;
    if (i.ref !== undefined) t += `,"ref":${str(i.ref)}`;
    out.push(`"input":${object(t)}`);
  }
  if (e.labels !== undefined) out.push(`"labels":${record(e.labels)}`);
  const m = e.model;
  let model = m.digest === undefined ? '' : `,"digest":${str(m.digest)}`;
  model += `,"name":${str(m.name)}`;
  if (m.uri !== undefined) model += `,"uri":${str(m.uri)}`;
  out.push(`"model":${object(`${model},"version":${str(m.version)}`)}`);
  out.push(`"occurred_at":${str(e.occurred_at)}`);
  const p = e.prediction;
  let prediction = '';
  if (p.label !== undefined) prediction += `,"label":${scalar(p.label)}`;
  if (p.score !== undefined) prediction += `,"score":${num(p.score)}`;
  if (p.value !== undefined) prediction += `,"value":${canonicalJson(p.value)}`;
  out.push(`"prediction":${object(prediction)}`);
  const r = e.rationale;
  let rationale = '';
  if (r.method !== undefined) rationale += `,"method":${str(r.method)}`;
  if (r.policy !== undefined) {
    rationale += `,"policy":{"name":${str(r.policy.name)},"version":${str(r.policy.version)}}`;
  }
  if (r.reasons !== undefined) {
    let reasons = '';
    for (let k = 0; k < r.reasons.length; k += 1) {
      const reason = r.reasons[k] as NonNullable<typeof r.reasons>[number];
      reasons += k === 0 ? `{"code":${str(reason.code)}` : `,{"code":${str(reason.code)}`;
      if (reason.detail !== undefined) reasons += `,"detail":${str(reason.detail)}`;
      if (reason.weight !== undefined) reasons += `,"weight":${num(reason.weight)}`;
      reasons += '}';
    }
    rationale += `,"reasons":[${reasons}]`;
  }
  out.push(`"rationale":${object(`${rationale},"summary":${str(r.summary)}`)}`);
  if (e.subject !== undefined) out.push(`"subject":{"id":${str(e.subject.id)}}`);
  out.push('"type":"decision"');
  return out;
}

function actionMembers(e: Identified<ActionEvent>): string[] {
  const a = e.action;
  let action = `,"actor":{"id":${str(a.actor.id)},"type":${str(a.actor.type)}}`;
  if (a.details !== undefined) action += `,"details":${canonicalJson(a.details)}`;
  action += `,"kind":${str(a.kind)},"name":${str(a.name)}`;
  return [
    `"action":${object(action)}`,
    `"decision_id":${str(e.decision_id)}`,
    `"id":${str(e.id)}`,
    `"occurred_at":${str(e.occurred_at)}`,
    '"type":"action"',
  ];
}

function outcomeMembers(e: Identified<OutcomeEvent>): string[] {
  const o = e.outcome;
  let outcome = o.action_id === undefined ? '' : `,"action_id":${str(o.action_id)}`;
  if (o.label !== undefined) outcome += `,"label":${scalar(o.label)}`;
  if (o.source !== undefined) outcome += `,"source":${str(o.source)}`;
  outcome += `,"status":${str(o.status)}`;
  if (o.value !== undefined) outcome += `,"value":${num(o.value)}`;
  return [
    `"decision_id":${str(e.decision_id)}`,
    `"id":${str(e.id)}`,
    `"occurred_at":${str(e.occurred_at)}`,
    `"outcome":${object(outcome)}`,
    '"type":"outcome"',
  ];
}

function annotationMembers(e: Identified<AnnotationEvent>): string[] {
  const n = e.annotation;
  let annotation = n.author === undefined ? '' : `,"author":${str(n.author)}`;
  if (n.tags !== undefined) {
    let tags = '';
    for (let k = 0; k < n.tags.length; k += 1) tags += `,${str(n.tags[k] as string)}`;
    annotation += `,"tags":[${tags.slice(1)}]`;
  }
  annotation += `,"text":${str(n.text)}`;
  return [
    `"annotation":${object(annotation)}`,
    `"decision_id":${str(e.decision_id)}`,
    `"id":${str(e.id)}`,
    `"occurred_at":${str(e.occurred_at)}`,
    '"type":"annotation"',
  ];
}

/** An object from its members, each written with a leading comma. */
function object(commaMembers: string): string {
  return `{${commaMembers.slice(1)}}`;
}

/** Characters a JSON string escapes, and surrogates, which must come in pairs. */
// eslint-disable-next-line no-control-regex -- the control characters JSON escapes
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A canonical JSON string: most strings need no escape and are quoted as they are. */
function str(text: string): string {
  if (!NEEDS_CARE.test(text)) return `"${text}"`;
  if (!text.isWellFormed()) throw new TypeError('a string holds a lone surrogate');
  return JSON.stringify(text);
}

function num(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON representation`);
  // The same text JSON.stringify writes for a finite number (-0 is "0").
  return `${value}`;
}

function scalar(value: string | number | boolean): string {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return num(value);
  return value ? 'true' : 'false';
}

/** A record of the contract (labels, cohort, features): string keys, mostly scalar values. */
function record(value: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  let text = '';
  for (let k = 0; k < keys.length; k += 1) {
    const key = keys[k] as string;
    const item = value[key];
    if (item === undefined) continue;
    const encoded =
      typeof item === 'string'
        ? str(item)
        : typeof item === 'number'
          ? num(item)
          : canonicalJson(item);
    text += `,${str(key)}:${encoded}`;
  }
  return object(text);
}
