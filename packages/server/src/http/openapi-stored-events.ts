import type { z } from 'zod';
import { PERSONAL_FIELDS, PersonalCommitment } from '@declog/core';
import { component, type JsonObject } from './openapi-components.js';

/** What the log adds to every event it stores. */
const LOG_MEMBERS = {
  seq: { type: 'integer', minimum: 0, description: '0-based position in the log.' },
  recorded_at: {
    type: 'string',
    format: 'date-time',
    description: 'When the log stored the event (RFC 3339).',
  },
};

/**
 * A stored event: the event's schema with the log's members (and any `extra`) among its own,
 * so that it stays closed. An `allOf` with a second object would refuse every stored event:
 * the event's `additionalProperties: false` does not see the other branch's members.
 */
export function storedEvent(event: z.ZodType, extra: JsonObject = {}): JsonObject {
  const schema = component(event) as { properties: JsonObject; required: string[] };
  return {
    ...schema,
    properties: { ...schema.properties, ...LOG_MEMBERS, ...extra },
    required: [...new Set([...schema.required, 'id', 'seq', 'recorded_at'])],
    additionalProperties: false,
  };
}

/** A pattern of the concrete pointers of an allow-list entry: `*` stands for an array index. */
const pointerPattern = (pointer: string) =>
  pointer
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('(0|[1-9][0-9]*)');

/** Only decisions are sealed (see assertPersonalSubject), so only their fields can appear. */
const DECISION_PERSONAL_POINTER = `^(${PERSONAL_FIELDS.filter((field) => field.type === 'decision')
  .map((field) => pointerPattern(field.pointer))
  .join('|')})$`;

/**
 * `personal` as a decision's leaf holds it: the core's PersonalCommitment, with what its
 * refinements check and JSON Schema can say (see docs/privacy.md).
 */
const leafPersonal = component(PersonalCommitment) as {
  properties: Record<string, JsonObject>;
  required: string[];
};
const personalMembers = {
  fields: {
    ...leafPersonal.properties['fields'],
    uniqueItems: true,
    description: 'The sealed fields: RFC 6901 pointers, sorted (UTF-16 order), unique.',
    items: { type: 'string', pattern: DECISION_PERSONAL_POINTER },
  },
  commitment: {
    ...leafPersonal.properties['commitment'],
    contentEncoding: 'base64',
    pattern: '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$',
    description: 'base64(SHA-256(salt ‖ canonical JSON of {pointer: value})), 32 bytes.',
  },
};

/** `personal` in one of its forms: the leaf's members plus those the form adds. */
function personalSchema(description: string, added: Record<string, unknown> = {}): JsonObject {
  return {
    ...leafPersonal,
    description,
    properties: { ...personalMembers, ...added },
    required: [...leafPersonal.required, ...Object.keys(added)],
  };
}

export const personalSchemas = {
  PersonalCommitment: personalSchema(
    'Sealed personal values, as the leaf holds them: the fields are absent or "[sealed]".',
  ),
  OpenedPersonal: personalSchema(
    'Sealed personal values, opened: the fields hold the values again.',
    { sealed: { const: true } },
  ),
  ErasedPersonal: personalSchema(
    'Sealed personal values of an erased subject or a shredded record: the fields are absent or "[sealed]".',
    {
      erased: { const: true },
      erased_at: {
        type: 'string',
        description:
          'When the key was destroyed or the record shredded (RFC 3339); empty if the store does not know.',
        oneOf: [{ format: 'date-time' }, { const: '' }],
      },
      erased_by: { type: 'string', description: 'Who erased or shredded it; empty if unknown.' },
    },
  ),
};

/** A log entry of the log whose events `event` describes, or what is left of it once pruned. */
export function logEntry(event: JsonObject): JsonObject {
  return {
    oneOf: [
      {
        type: 'object',
        required: ['seq', 'leaf', 'leaf_hash', 'event'],
        properties: {
          seq: { type: 'integer', minimum: 0 },
          leaf: {
            type: 'string',
            contentEncoding: 'base64',
            description: 'The exact leaf bytes: RFC 8785 canonical JSON of event.',
          },
          leaf_hash: {
            type: 'string',
            contentEncoding: 'base64',
            description: 'SHA-256(0x00 ‖ leaf).',
          },
          event,
        },
      },
      {
        type: 'object',
        description:
          'An entry pruned by retention: its event is gone, its leaf hash stays in the tree.',
        required: ['seq', 'leaf_hash', 'pruned'],
        properties: {
          seq: { type: 'integer', minimum: 0 },
          leaf_hash: { type: 'string', contentEncoding: 'base64' },
          pruned: {
            type: 'object',
            required: ['id', 'type', 'decision_id', 'recorded_at', 'pruned_at', 'pruned_by'],
            properties: {
              id: { type: 'string' },
              type: { type: 'string' },
              decision_id: { type: ['string', 'null'] },
              recorded_at: { type: 'string', format: 'date-time' },
              pruned_at: { type: 'string', format: 'date-time' },
              pruned_by: { type: 'string' },
            },
          },
        },
      },
    ],
  };
}
