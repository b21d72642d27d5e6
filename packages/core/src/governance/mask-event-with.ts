import { copyJson } from '../_copy-json.js';
import type { Event } from '../contract/event-schema.js';
import { ROOT, childSlots, type Slot } from './_field-slots.js';
import { cutDate, floorToStep } from './_generalize.js';
import { detectSensitiveText, maskSensitiveText } from './detect-sensitive-text.js';
import type { MaskMarkers, SensitiveTextFlag } from './mask-markers.js';
import { parseMaskingPolicy, type MaskingPolicy, type MaskingRule } from './masking-policy.js';

/** An event after masking: the event with the markers of what masking changed or found. */
export type MaskedEvent = Event & MaskMarkers;

/** The keyed pseudonym of a value (see `keyedPseudonym`), for `pseudonymize` rules. */
export type Pseudonymize = (value: unknown) => string;

type Json = Record<string, unknown> | unknown[];

/** One field of the event being masked: its container, its key there and its JSON pointer. */
interface Field {
  readonly parent: Json;
  readonly key: string | number;
  readonly pointer: string;
  readonly slot: Slot;
}

/**
 * Applies a tenant's masking policy to a valid event, before it is stored or hashed. Pure and
 * deterministic: the same event, policy and pseudonyms give the same result, so a resent event
 * is still a duplicate. The input is not changed. `pseudonymize` computes the keyed pseudonym
 * of a value (the server's `maskEvent` passes node:crypto's HMAC; the SDK its own), so this
 * module runs in any JavaScript runtime.
 *
 * Rules apply in order, each to the event as the rules before it left it; a field that an
 * earlier rule changed, or that lies inside one, is not changed again. Paths missing from the
 * event are skipped, and so is a value an action does not fit (truncating a number, cutting a
 * text that is not a date, pseudonymising `null`): it is kept as sent and not marked. Then
 * `text.fields` are searched for sensitive text and flagged or masked.
 *
 * @throws TypeError when the policy does not pass parseMaskingPolicy.
 */
export function maskEventWith(
  event: Event,
  policy: MaskingPolicy,
  pseudonymize: Pseudonymize,
): MaskedEvent {
  checkPolicy(policy);
  if (policy.rules.length === 0 && policy.text === undefined) return event;
  const masked = copyJson(event) as Event & Record<string, unknown>;
  const erased: string[] = [];
  const changed: string[] = [];
  const flagged: SensitiveTextFlag[] = [];
  const done = (pointer: string) =>
    [...erased, ...changed].some((p) => pointer === p || pointer.startsWith(`${p}/`));
  for (const rule of policy.rules) {
    for (const field of fieldsAt(masked, rule.path)) {
      if (done(field.pointer)) continue;
      if (rule.action === 'drop') {
        if (Array.isArray(field.parent)) continue; // removing an item would renumber the rest
        Reflect.deleteProperty(field.parent, field.key);
        erased.push(field.pointer);
        continue;
      }
      const value = read(field);
      const next = applyRule(rule, value, pseudonymize);
      if (next === undefined) continue;
      write(field, next);
      changed.push(field.pointer);
    }
  }
  const text = policy.text;
  for (const path of text?.fields ?? []) {
    for (const field of fieldsAt(masked, path)) {
      const value = read(field);
      if (text === undefined || typeof value !== 'string' || done(field.pointer)) continue;
      const findings = detectSensitiveText(value, text.detect);
      if (findings.length === 0) continue;
      if (text.action === 'flag') {
        const kinds = [...new Set(findings.map((f) => f.kind))].sort();
        flagged.push({ path: field.pointer, kinds });
      } else {
        write(field, cutToLimit(maskSensitiveText(value, findings), field.slot.max));
        changed.push(field.pointer);
      }
    }
  }
  return withMarkers(masked, erased, changed, flagged);
}

function applyRule(rule: MaskingRule, value: unknown, pseudonymize: Pseudonymize): unknown {
  switch (rule.action) {
    case 'drop':
      return undefined;
    case 'pseudonymize':
      return value === null ? undefined : pseudonymize(value);
    case 'truncate':
      return typeof value === 'string' ? [...value].slice(0, rule.keep).join('') : undefined;
    case 'generalize':
      if ('to' in rule) return typeof value === 'string' ? cutDate(value, rule.to) : undefined;
      return typeof value === 'number' ? floorToStep(value, rule.step) : undefined;
  }
}

/** The fields a path names in `root` as it is now, with their slots of the contract. */
function fieldsAt(root: Json, path: string): Field[] {
  let fields: Field[] = [{ parent: [root], key: 0, pointer: '', slot: ROOT }];
  for (const segment of path.split('.')) {
    fields = fields.flatMap((field) => {
      const node = read(field);
      if (typeof node !== 'object' || node === null) return [];
      const keys: (string | number)[] = Array.isArray(node)
        ? segment === '*'
          ? node.map((_, i) => i)
          : []
        : segment === '*'
          ? Object.keys(node).sort()
          : Object.hasOwn(node, segment)
            ? [segment]
            : [];
      return keys.flatMap((key) => {
        const slot = childSlots(field.slot, segment === '*' ? '*' : segment).find(
          ([name]) => segment !== '*' || field.slot.members === undefined || name === key,
        )?.[1];
        if (slot === undefined) return [];
        const pointer = `${field.pointer}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
        return [{ parent: node as Json, key, pointer, slot }];
      });
    });
  }
  return fields;
}

function read(field: Field): unknown {
  return (field.parent as Record<string | number, unknown>)[field.key];
}

function write(field: Field, value: unknown): void {
  (field.parent as Record<string | number, unknown>)[field.key] = value;
}

/** Masked text may come out longer than sent (`a@b.cd` → `[email]`); the contract's limit holds. */
function cutToLimit(text: string, max: number | undefined): string {
  const chars = [...text];
  return max === undefined || chars.length <= max ? text : chars.slice(0, max).join('');
}

function withMarkers(
  event: Event & Record<string, unknown>,
  erased: readonly string[],
  changed: readonly string[],
  flagged: readonly SensitiveTextFlag[],
): MaskedEvent {
  const all = [...erased, ...changed];
  // A field inside one dropped or replaced later is not marked on its own.
  const outermost = (list: readonly string[]) =>
    [...new Set(list)].filter((p) => !all.some((q) => p !== q && p.startsWith(`${q}/`))).sort();
  const e = outermost(erased);
  const m = outermost(changed);
  const f = [...flagged].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    ...event,
    ...(e.length > 0 && { erased: e }),
    ...(m.length > 0 && { masked: m }),
    ...(f.length > 0 && { flagged: f }),
  } as MaskedEvent;
}

// Parsing a policy per event would cost more than masking it: remember the ones checked.
const checked = new WeakSet<MaskingPolicy>();

function checkPolicy(policy: MaskingPolicy): void {
  if (checked.has(policy)) return;
  const parsed = parseMaskingPolicy(policy);
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new TypeError(`the masking policy is not valid: ${issues}`);
  }
  checked.add(policy);
}
