import { MAX_PAGE_BYTES, ROLES } from '@declog/core';
import { ACCESS_LOG_PARAMETERS } from '../services/governance/read-access-log.js';
import { ref, type JsonObject } from './openapi-components.js';

type Paths = Record<string, Record<string, JsonObject>>;
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

/** The key fields every key answer has; `key` (the secret) only when it is made. */
const keyProperties = {
  id: { type: 'string' },
  name: { type: 'string', description: "The key's principal." },
  role: { enum: [...ROLES] },
  tenant: { type: 'string', description: 'Its tenant, or "*" for all tenants.' },
  created_at: { type: 'string', format: 'date-time' },
  revoked_at: { type: ['string', 'null'], format: 'date-time' },
};

/**
 * The access trail's endpoints (the decision log's ledger endpoints under /v1/access-log, plus
 * the filtered query) and key and tenant management, given the decision log's paths to copy.
 */
export function governancePaths(logPaths: Paths): Paths {
  const copy = (path: string, summary: string) => {
    const get = logPaths[path]?.['get'];
    if (!get) throw new Error(`no GET ${path} to copy`);
    // The trail's entries hold access records, not decision-chain events.
    return { get: { ...(retarget(get, 'LogEntry', 'AccessLogEntry') as JsonObject), summary } };
  };
  return {
    '/v1/access-log': {
      get: {
        summary: 'Access trail entries with filters, in log order',
        parameters: Object.entries(ACCESS_LOG_PARAMETERS).map(([name, description]) => ({
          name,
          in: 'query',
          required: false,
          description,
          schema: { type: 'string' },
        })),
        responses: {
          '200': {
            description: `A page of access entries as stored: at most \`limit\`, and no more than ${MAX_PAGE_BYTES} bytes of them (at least one).`,
            content: json({
              type: 'object',
              required: ['items', 'next_cursor'],
              properties: {
                items: { type: 'array', items: ref('AccessEntry') },
                next_cursor: { type: ['string', 'null'] },
              },
            }),
          },
          '400': errorResponse('Invalid query parameters.'),
        },
      },
    },
    '/v1/access-log/entries': copy('/v1/events', 'Consecutive access trail entries, for verifiers'),
    '/v1/access-log/entries/{seq}': copy('/v1/events/{seq}', 'An access trail entry with its leaf'),
    '/v1/access-log/checkpoint': copy('/v1/log/checkpoint', "The access trail's signed checkpoint"),
    '/v1/access-log/proof/inclusion': copy(
      '/v1/log/proof/inclusion',
      'Inclusion proof of an access trail entry',
    ),
    '/v1/access-log/proof/consistency': copy(
      '/v1/log/proof/consistency',
      'Consistency proof between two access trail sizes',
    ),
    '/v1/keys': {
      post: {
        summary: 'Make an API key (admin); the answer holds its secret, this once',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['role', 'name'],
            additionalProperties: false,
            properties: {
              role: { enum: [...ROLES] },
              name: { type: 'string', minLength: 1, maxLength: 128 },
              tenant: {
                type: 'string',
                description: 'Default: the tenant acted on; "*": all tenants (admin keys).',
              },
            },
          }),
        },
        responses: {
          '201': {
            description: 'The key.',
            content: json({
              type: 'object',
              required: ['id', 'key', ...Object.keys(keyProperties)],
              properties: { key: { type: 'string' }, ...keyProperties },
            }),
          },
          '400': errorResponse('Invalid key request.'),
        },
      },
      get: {
        summary: 'The keys this admin manages, without secrets',
        responses: {
          '200': {
            description: 'Keys in creation order, revoked ones included.',
            content: json({
              type: 'object',
              required: ['keys'],
              properties: {
                keys: { type: 'array', items: { type: 'object', properties: keyProperties } },
              },
            }),
          },
        },
      },
    },
    '/v1/keys/{id}': {
      delete: {
        summary: 'Revoke a key at once',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The revoked key.',
            content: json({ type: 'object', properties: keyProperties }),
          },
          '404': errorResponse('No such key among those this admin manages.'),
        },
      },
    },
    '/v1/policies/masking': {
      get: {
        summary: "The tenant's masking policy (auditor, admin)",
        responses: {
          '200': {
            description: 'The policy with when and by whom it was set; all null when none is.',
            content: json(ref('StoredMaskingPolicy')),
          },
        },
      },
      put: {
        summary: 'Set the masking policy applied at ingest (admin); see docs/masking.md',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['rules'],
            properties: {
              rules: { type: 'array' },
              text: { type: 'object' },
              seal: {
                type: 'array',
                items: { enum: ['rationale.summary', 'rationale.reasons.*.detail'] },
                description: 'Free-text fields sealed under the subject key (docs/privacy.md).',
              },
            },
          }),
        },
        responses: {
          '200': { description: 'The policy set.', content: json(ref('StoredMaskingPolicy')) },
          '400': errorResponse('Invalid policy; details name every bad field.'),
        },
      },
      delete: {
        summary: 'Remove the masking policy (admin): events are then stored as sent',
        responses: {
          '200': {
            description: 'Whether there was a policy.',
            content: json({ type: 'object', properties: { removed: { type: 'boolean' } } }),
          },
        },
      },
    },
    '/v1/policies/annotations': {
      get: {
        summary: "The tenant's annotation policy (auditor, admin)",
        responses: {
          '200': {
            description: 'The policy with when and by whom it was set; all null when none is.',
            content: json(ref('StoredAnnotationPolicy')),
          },
        },
      },
      put: {
        summary:
          'Let producer keys relay annotations of other authors, or not (admin); see docs/governance.md',
        requestBody: { required: true, content: json(ref('AnnotationPolicy')) },
        responses: {
          '200': { description: 'The policy set.', content: json(ref('StoredAnnotationPolicy')) },
          '400': errorResponse('Invalid policy; details name every bad field.'),
        },
      },
      delete: {
        summary: 'Remove the annotation policy (admin): every key posts in its own name only',
        responses: {
          '200': {
            description: 'Whether there was a policy.',
            content: json({ type: 'object', properties: { removed: { type: 'boolean' } } }),
          },
        },
      },
    },
    '/v1/policies/retention': {
      get: {
        summary: "The tenant's retention policy (auditor, admin)",
        responses: {
          '200': {
            description: 'The policy, or nulls when none is set (everything is kept).',
            content: json(ref('StoredRetentionPolicy')),
          },
        },
      },
      put: {
        summary: 'Set how long personal data and records are kept (admin); see docs/retention.md',
        requestBody: { required: true, content: json(ref('RetentionPolicy')) },
        responses: {
          '200': { description: 'The policy set.', content: json(ref('StoredRetentionPolicy')) },
          '400': errorResponse('Invalid policy; details name every bad field.'),
        },
      },
      delete: {
        summary: 'Remove the retention policy (admin): nothing is removed by age any more',
        responses: {
          '200': {
            description: 'Whether there was a policy.',
            content: json({ type: 'object', properties: { removed: { type: 'boolean' } } }),
          },
        },
      },
    },
    '/v1/retention/plan': {
      get: {
        summary: 'What applying the retention policy now would shred and prune (auditor, admin)',
        responses: {
          '200': { description: 'A dry run.', content: json(ref('RetentionReport')) },
        },
      },
    },
    '/v1/retention/apply': {
      post: {
        summary: 'Apply the retention policy now (admin); the server also does on a schedule',
        responses: {
          '200': { description: 'What was done.', content: json(ref('RetentionReport')) },
        },
      },
    },
    '/v1/subjects/{id}': {
      delete: {
        summary: "Erase a data subject's personal data by destroying its key (admin)",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'force',
            in: 'query',
            description:
              'true: erase a subject the tenant does not know yet (no key, no decision), ahead ' +
              'of its events; without it that is 404 subject_not_found.',
            schema: { type: 'boolean', default: false },
          },
        ],
        responses: {
          '200': {
            description: 'The erasure.',
            content: json({
              type: 'object',
              required: [
                'subject',
                'erased_at',
                'erased_by',
                'key_destroyed',
                'records_shredded',
                'access_details_deleted',
              ],
              properties: {
                subject: { type: 'string' },
                erased_at: { type: 'string', format: 'date-time' },
                erased_by: { type: 'string' },
                key_destroyed: { type: 'boolean' },
                records_shredded: { type: 'integer', minimum: 0 },
                access_details_deleted: {
                  type: 'integer',
                  minimum: 0,
                  description:
                    'Access-trail entries concerning the subject whose personal details (purpose, search words, label values) were deleted now.',
                },
              },
            }),
          },
          '404': errorResponse(
            'subject_not_found: the tenant has no key and no decision for the subject.',
          ),
          '409': errorResponse('legal_hold: holds cover the subject; details name them.'),
        },
      },
    },
    '/v1/holds': {
      post: {
        summary: 'Place a legal hold on a subject, a decision or a model (admin)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['kind', 'target', 'reason'],
            additionalProperties: false,
            properties: {
              kind: { enum: ['subject', 'decision', 'model'] },
              target: { type: 'string', description: 'Subject id, decision id or model name.' },
              reason: { type: 'string', maxLength: 2000 },
            },
          }),
        },
        responses: {
          '201': { description: 'The hold.', content: json(ref('LegalHold')) },
          '400': errorResponse('Invalid hold.'),
        },
      },
      get: {
        summary: "The tenant's legal holds (auditor, admin)",
        parameters: [
          {
            name: 'standing',
            in: 'query',
            required: false,
            description: 'true: only holds not released.',
            schema: { type: 'boolean' },
          },
        ],
        responses: {
          '200': {
            description: 'Holds in the order placed.',
            content: json({
              type: 'object',
              properties: { holds: { type: 'array', items: ref('LegalHold') } },
            }),
          },
        },
      },
    },
    '/v1/holds/{id}': {
      delete: {
        summary: 'Release a legal hold (admin)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The released hold.', content: json(ref('LegalHold')) },
          '404': errorResponse('No standing hold of that id.'),
        },
      },
    },
    '/v1/tenants': {
      get: {
        summary: 'Tenants this admin manages',
        responses: {
          '200': {
            description: 'Tenants by name.',
            content: json({
              type: 'object',
              required: ['tenants'],
              properties: {
                tenants: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { name: { type: 'string' }, created_at: { type: 'string' } },
                  },
                },
              },
            }),
          },
        },
      },
    },
  };
}

/** `value` with its references to the component schema `from` made to `to` instead. */
/** `value` with every reference to the component `from` made one to `to`. */
export function retarget(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((item) => retarget(item, from, to));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key,
      key === '$ref' && member === ref(from).$ref ? ref(to).$ref : retarget(member, from, to),
    ]),
  );
}

/** What every operation but /healthz shares: the key, and the tenant and purpose headers. */
/** Routes answered without a key. */
const PUBLIC_PATHS: readonly string[] = ['/healthz', '/readyz', '/openapi.json'];

/** The description of the answer `status` the operation already lists, if any. */
function responseText(operation: JsonObject, status: string): string | undefined {
  const response = (operation['responses'] as Record<string, { description?: string }>)[status];
  return response?.description;
}

const either = (first: string | undefined, second: string) =>
  first === undefined ? second : `${first} Or ${second}`;

export function withAccessControl(paths: Paths): Paths {
  const shared = [
    {
      name: 'X-Declog-Tenant',
      in: 'header',
      required: false,
      description: 'The tenant to act on, for a key of all tenants (default: default).',
      schema: { type: 'string' },
    },
    {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description:
        "The request's id (1-128 of letters, digits and . _ ~ : / + = @ -), answered in X-Request-Id, logged and recorded in the access trail; the server makes one when none or another is sent.",
      schema: { type: 'string', maxLength: 128 },
    },
    {
      name: 'X-Declog-Purpose',
      in: 'header',
      required: false,
      description: 'Why the data is read; recorded in the access trail.',
      schema: { type: 'string', maxLength: 500 },
    },
  ];
  return Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      PUBLIC_PATHS.includes(path)
        ? operations
        : Object.fromEntries(
            Object.entries(operations).map(([method, operation]) => [
              method,
              {
                ...operation,
                security: [{ apiKey: [] }],
                parameters: [...((operation['parameters'] as unknown[]) ?? []), ...shared],
                responses: {
                  ...(operation['responses'] as JsonObject),
                  // Any request that names a tenant may find none; any may find the store down.
                  '404': errorResponse(
                    either(
                      responseText(operation, '404'),
                      'tenant_not_found: X-Declog-Tenant names no tenant.',
                    ),
                  ),
                  '503': errorResponse(
                    either(
                      responseText(operation, '503'),
                      'store_unavailable: the store did not answer; retry.',
                    ),
                  ),
                  '401': errorResponse('No valid API key.'),
                  '403': errorResponse("The key's role or tenant does not allow this."),
                  '429': errorResponse(
                    'Rate limit of the key exceeded, or too many failed authentications from the address; see Retry-After.',
                  ),
                },
              },
            ]),
          ),
    ]),
  );
}

export const STORED_MASKING_POLICY_SCHEMA = {
  type: 'object',
  required: ['policy', 'updated_at', 'updated_by'],
  properties: {
    policy: { type: ['object', 'null'] },
    updated_at: { type: ['string', 'null'], format: 'date-time' },
    updated_by: { type: ['string', 'null'] },
  },
};

export const ANNOTATION_POLICY_SCHEMA = {
  type: 'object',
  required: ['relay_authors'],
  additionalProperties: false,
  properties: {
    relay_authors: {
      type: 'boolean',
      description:
        "Whether producer keys may post annotations whose author is not the key's principal; each is stored with posted_by.relayed.",
    },
  },
};

export const STORED_ANNOTATION_POLICY_SCHEMA = {
  ...STORED_MASKING_POLICY_SCHEMA,
  properties: {
    ...STORED_MASKING_POLICY_SCHEMA.properties,
    policy: { oneOf: [{ type: 'null' }, ANNOTATION_POLICY_SCHEMA] },
  },
};

/** Who posted an annotation: the server sets it, producers cannot send it. */
export const POSTED_BY_SCHEMA = {
  type: 'object',
  description:
    "The API key that posted the annotation (local: the operator of a database file); relayed when its author is not the key's principal but a person the key relays (docs/governance.md).",
  required: ['key_id'],
  additionalProperties: false,
  properties: {
    key_id: { type: 'string', minLength: 1, maxLength: 128 },
    relayed: { const: true },
  },
};

export const LEGAL_HOLD_SCHEMA = {
  type: 'object',
  required: [
    'id',
    'kind',
    'target',
    'reason',
    'placed_at',
    'placed_by',
    'released_at',
    'released_by',
  ],
  properties: {
    id: { type: 'string' },
    kind: { enum: ['subject', 'decision', 'model'] },
    target: { type: 'string' },
    reason: { type: 'string' },
    placed_at: { type: 'string', format: 'date-time' },
    placed_by: { type: 'string' },
    released_at: { type: ['string', 'null'], format: 'date-time' },
    released_by: { type: ['string', 'null'] },
  },
};

export const ACCESS_ENTRY_SCHEMA = {
  type: 'object',
  required: [
    'id',
    'type',
    'occurred_at',
    'actor',
    'action',
    'method',
    'route',
    'records',
    'status',
    'seq',
    'recorded_at',
  ],
  properties: {
    id: { type: 'string' },
    type: { const: 'access' },
    occurred_at: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      required: ['key_id', 'name', 'role'],
      properties: {
        key_id: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
      },
    },
    action: { type: 'string' },
    method: { type: 'string' },
    route: { type: 'string' },
    target: { type: 'object', additionalProperties: { type: 'string' } },
    filters: { type: 'object', additionalProperties: { type: 'string' } },
    records: { type: 'integer', minimum: 0 },
    status: { type: 'integer' },
    purpose: { type: 'string' },
    details: { type: 'object', additionalProperties: { type: 'string' } },
    request_id: {
      type: 'string',
      description: "The X-Request-Id of the request: the client's, or one the server made.",
    },
    seq: { type: 'integer', minimum: 0 },
    recorded_at: { type: 'string', format: 'date-time' },
  },
};

const PERIOD_SCHEMA = {
  type: 'string',
  description: 'An ISO 8601 duration of whole units: P90D, P1Y6M, PT12H.',
  pattern: '^P(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
};

const RETENTION_LIMITS = {
  personal_data: { ...PERIOD_SCHEMA, description: 'How long sealed personal values are kept.' },
  records: { ...PERIOD_SCHEMA, description: "How long a decision's whole chain is kept." },
};

export const RETENTION_POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...RETENTION_LIMITS,
    models: {
      type: 'object',
      description: 'Limits per model name, each falling back to the tenant-wide one.',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: RETENTION_LIMITS,
      },
    },
  },
};

export const STORED_RETENTION_POLICY_SCHEMA = {
  type: 'object',
  required: ['policy', 'updated_at', 'updated_by'],
  properties: {
    policy: { oneOf: [{ $ref: '#/components/schemas/RetentionPolicy' }, { type: 'null' }] },
    updated_at: { type: ['string', 'null'], format: 'date-time' },
    updated_by: { type: ['string', 'null'] },
  },
};

const idList = { type: 'array', items: { type: 'string' }, maxItems: 1000 };

export const RETENTION_REPORT_SCHEMA = {
  type: 'object',
  required: [
    'tenant',
    'dry_run',
    'as_of',
    'policy',
    'shredded',
    'pruned',
    'held',
    'truncated',
    'access_details_deleted',
  ],
  properties: {
    tenant: { type: 'string' },
    dry_run: { type: 'boolean' },
    as_of: { type: 'string', format: 'date-time' },
    policy: { oneOf: [{ $ref: '#/components/schemas/RetentionPolicy' }, { type: 'null' }] },
    shredded: {
      type: 'object',
      required: ['decisions', 'ids'],
      properties: { decisions: { type: 'integer', minimum: 0 }, ids: idList },
    },
    pruned: {
      type: 'object',
      required: ['decisions', 'entries', 'orphans', 'ids'],
      properties: {
        decisions: { type: 'integer', minimum: 0 },
        entries: { type: 'integer', minimum: 0 },
        orphans: { type: 'integer', minimum: 0 },
        ids: idList,
      },
    },
    held: {
      type: 'object',
      required: ['decisions', 'orphans', 'items'],
      properties: {
        decisions: { type: 'integer', minimum: 0 },
        orphans: { type: 'integer', minimum: 0 },
        items: {
          type: 'array',
          maxItems: 1000,
          items: {
            type: 'object',
            required: ['id', 'would', 'holds'],
            properties: {
              id: { type: 'string' },
              would: { enum: ['prune', 'shred'] },
              holds: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    truncated: { type: 'boolean', description: 'Whether a list of ids was cut at 1000.' },
    access_details_deleted: {
      type: 'integer',
      minimum: 0,
      description:
        'Access-trail entries whose personal details were deleted (older than the personal_data period, else records); 0 in a dry run.',
    },
  },
};
