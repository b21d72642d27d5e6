import {
  ActionEvent,
  AnnotationEvent,
  DECISION_QUERY_PARAMETERS,
  DecisionEvent,
  LIMITS,
  MAX_PAGE_BYTES,
  OutcomeEvent,
} from '@declog/core';
import { ERROR_CODES } from '../errors.js';
import { component, ref, type JsonObject } from './openapi-components.js';
import { withOperationIds } from './openapi-operations.js';
import { logEntry, personalSchemas, storedEvent } from './openapi-stored-events.js';
import { SECURITY_ENTRY_SCHEMA, securityLogPaths } from './openapi-security-log.js';
import {
  ANOMALY_POINT_SCHEMA,
  MODEL_DECLARATION_SCHEMA,
  analyticsPaths,
} from './openapi-analytics.js';
import {
  ACCESS_ENTRY_SCHEMA,
  LEGAL_HOLD_SCHEMA,
  STORED_MASKING_POLICY_SCHEMA,
  ANNOTATION_POLICY_SCHEMA,
  STORED_ANNOTATION_POLICY_SCHEMA,
  POSTED_BY_SCHEMA,
  governancePaths,
  RETENTION_POLICY_SCHEMA,
  RETENTION_REPORT_SCHEMA,
  STORED_RETENTION_POLICY_SCHEMA,
  withAccessControl,
} from './openapi-governance.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({
  description,
  content: json(ref('Error')),
});
const checkpointPending = errorResponse(
  'checkpoint_pending: a read replica has not received the checkpoint covering the entries yet; retry.',
);
/** What any request may get before it is routed (answered by client-error-answer.ts). */
const CLIENT_ERRORS = errorResponse(
  'malformed_request (400), request_timeout (408) or headers_too_large (431): the request could not be read.',
);
const STORE_INCONSISTENT =
  'store_inconsistent: stored rows disagree with their ledger entry; nothing served (run declog verify).';

/** The decision log's part of the document. */
function decisionLogDocument(): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'declog HTTP API',
      version: '1.0.0',
      description:
        'Record model decisions, actions, outcomes and annotations; read the chain back.',
      license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
    },
    // Relative to where this document is served: the server that serves it.
    servers: [{ url: '/', description: 'The declog server that serves this document.' }],
    paths: {
      '/v1/events': {
        get: {
          summary: 'Consecutive log entries, for verifiers and mirrors',
          parameters: [
            { name: 'from', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 1000 },
            },
          ],
          responses: {
            '200': {
              description: `Entries from \`from\` on, at most \`limit\` and no more than ${MAX_PAGE_BYTES} bytes of them (at least one): \`next\` is the seq to ask for next while the log holds more, else null.`,
              content: json({
                type: 'object',
                required: ['items', 'next'],
                properties: {
                  items: { type: 'array', items: ref('LogEntry') },
                  next: { type: ['integer', 'null'] },
                },
              }),
            },
            '400': errorResponse('Malformed parameter.'),
          },
        },
        post: {
          summary: 'Append events (atomic per request; answered once durable)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['events'],
                  additionalProperties: false,
                  properties: {
                    events: {
                      type: 'array',
                      maxItems: LIMITS.maxEventsPerRequest,
                      items: ref('Event'),
                    },
                  },
                },
              },
              'application/x-ndjson': {
                schema: { type: 'string', description: 'One Event per line.' },
              },
              'application/ndjson': {
                schema: { type: 'string', description: 'One Event per line.' },
              },
            },
          },
          responses: {
            '200': {
              description: 'Every event stored or already stored.',
              content: json(ref('IngestResults')),
            },
            '400': errorResponse('Malformed JSON or invalid events; nothing stored.'),
            '409': errorResponse('An id is stored with different content; nothing stored.'),
            '413': errorResponse(
              `More than ${LIMITS.maxEventsPerRequest} events, ${LIMITS.maxRequestBytes} bytes, or an event over ${LIMITS.maxEventBytes} bytes.`,
            ),
            '415': errorResponse(
              'unsupported_media_type: not JSON or NDJSON, a charset other than UTF-8, or a Content-Encoding (gzip) other than identity.',
            ),
          },
        },
      },
      '/v1/decisions/{id}': {
        get: {
          summary: 'A decision with its actions, outcomes and annotations',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'proof',
              in: 'query',
              required: false,
              description:
                'true adds checkpoint, tree_size and proofs: an inclusion proof per event against one signed checkpoint.',
              schema: { type: 'boolean' },
            },
          ],
          responses: {
            '200': {
              description: 'The chain, each list in time order.',
              content: json(ref('DecisionChain')),
            },
            '400': errorResponse('Malformed id.'),
            '404': errorResponse('Unknown decision.'),
            '409': errorResponse(STORE_INCONSISTENT),
            '410': errorResponse('pruned: the decision was pruned by retention.'),
            '503': checkpointPending,
          },
        },
      },
      '/v1/decisions': {
        get: {
          summary: 'List decisions, newest first',
          parameters: [
            ...Object.entries(DECISION_QUERY_PARAMETERS).map(([name, description]) => ({
              name,
              in: 'query',
              required: false,
              description,
              schema:
                name === 'limit'
                  ? { type: 'integer', minimum: 1, maximum: 1000 }
                  : { type: 'string' },
            })),
            {
              // Each label is a query parameter of its own, `label.` and its key: a form-style
              // object exploded into its members, as OpenAPI serializes one (its name unsent).
              name: 'label',
              in: 'query',
              required: false,
              style: 'form',
              explode: true,
              description:
                'label.KEY=VALUE, e.g. label.team=risk: the decision carries label KEY with ' +
                'this VALUE; give several keys to require all of them. Each member of this ' +
                'object is one query parameter, named label.KEY (not label[KEY]).',
              schema: {
                type: 'object',
                propertyNames: { pattern: '^label\\..+' },
                additionalProperties: { type: 'string' },
              },
              example: { 'label.team': 'risk' },
            },
          ],
          responses: {
            '200': {
              description: `A page of decisions: at most \`limit\`, and no more than ${MAX_PAGE_BYTES} bytes of them (at least one); a page cut short by bytes has a \`next_cursor\` like any other.`,
              content: json(ref('DecisionPage')),
            },
            '400': errorResponse('Unknown or malformed parameter.'),
            '409': errorResponse(STORE_INCONSISTENT),
          },
        },
      },
      '/v1/actions/{id}': {
        get: {
          summary: 'An action and the decision that led to it',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The action; decision is null until the decision arrives.',
              content: json({
                type: 'object',
                required: ['action', 'decision'],
                properties: {
                  action: ref('StoredAction'),
                  decision: { oneOf: [ref('StoredDecision'), { type: 'null' }] },
                },
              }),
            },
            '404': errorResponse('Unknown action.'),
            '409': errorResponse(STORE_INCONSISTENT),
            '410': errorResponse('pruned: the action was pruned by retention, with its chain.'),
          },
        },
      },
      '/v1/events/{seq}': {
        get: {
          summary: 'A log entry: its exact leaf bytes, leaf hash and event',
          parameters: [
            { name: 'seq', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          ],
          responses: {
            '200': { description: 'The entry.', content: json(ref('LogEntry')) },
            '400': errorResponse('Malformed seq.'),
            '404': errorResponse('No entry at that seq.'),
          },
        },
      },
      '/v1/log/checkpoint': {
        get: {
          summary: 'The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)',
          parameters: [
            {
              name: 'size',
              in: 'query',
              required: false,
              description: 'The checkpoint kept for this tree size instead of the latest.',
              schema: { type: 'integer', minimum: 0 },
            },
          ],
          responses: {
            '200': {
              description: 'The note text.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            '404': errorResponse('No checkpoint was issued for that size.'),
            '503': checkpointPending,
          },
        },
      },
      '/v1/me': {
        get: {
          summary: 'The key making the request: its id, name, role and tenant (any key)',
          responses: {
            '200': {
              description:
                "tenant is the tenant the request acts on (X-Declog-Tenant, else the key's own, else default); all_tenants is true for a key of all tenants.",
              content: json({
                type: 'object',
                required: ['key_id', 'name', 'role', 'tenant', 'all_tenants'],
                additionalProperties: false,
                properties: {
                  key_id: { type: 'string' },
                  name: { type: 'string' },
                  role: { enum: ['producer', 'reviewer', 'auditor', 'admin'] },
                  tenant: { type: 'string' },
                  all_tenants: { type: 'boolean' },
                },
              }),
            },
          },
        },
      },
      '/v1/log/key': {
        get: {
          summary: 'The verifier key: name+hexkeyid+base64(0x01 ‖ Ed25519 public key)',
          responses: {
            '200': {
              description: 'The key text.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/v1/log/proof/inclusion': {
        get: {
          summary: 'RFC 9162 inclusion proof of an entry',
          parameters: [
            { name: 'seq', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
            {
              name: 'size',
              in: 'query',
              required: false,
              description: "Tree size; defaults to the latest checkpoint's.",
              schema: { type: 'integer', minimum: 1 },
            },
          ],
          responses: {
            '200': {
              description: 'The audit path, leaf to root.',
              content: json({
                type: 'object',
                required: ['seq', 'tree_size', 'hashes'],
                properties: {
                  seq: { type: 'integer' },
                  tree_size: { type: 'integer' },
                  hashes: { type: 'array', items: { type: 'string', contentEncoding: 'base64' } },
                },
              }),
            },
            '400': errorResponse('Malformed or impossible seq or size.'),
            '503': checkpointPending,
          },
        },
      },
      '/v1/log/proof/consistency': {
        get: {
          summary: 'RFC 9162 consistency proof between two tree sizes',
          parameters: [
            { name: 'from', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
            { name: 'to', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
          ],
          responses: {
            '200': {
              description: 'The proof.',
              content: json({
                type: 'object',
                required: ['from', 'to', 'hashes'],
                properties: {
                  from: { type: 'integer' },
                  to: { type: 'integer' },
                  hashes: { type: 'array', items: { type: 'string', contentEncoding: 'base64' } },
                },
              }),
            },
            '400': errorResponse('Malformed or impossible sizes.'),
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness: the server is serving (no key needed)',
          security: [],
          responses: {
            '200': {
              description: 'Serving.',
              content: json({
                type: 'object',
                required: ['status'],
                properties: { status: { const: 'ok' } },
              }),
            },
            '4XX': CLIENT_ERRORS,
          },
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: the store answers (no key needed)',
          security: [],
          responses: {
            '200': { description: 'The store answered.', content: json(ref('Readiness')) },
            '503': {
              description: 'The store failed, or did not answer within 2 s.',
              content: json(ref('Readiness')),
            },
            '4XX': CLIENT_ERRORS,
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document (no key needed)',
          security: [],
          responses: {
            '200': { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) },
            '4XX': CLIENT_ERRORS,
          },
        },
      },
    },
    components: {
      schemas: {
        Event: {
          description: 'One event of the contract, told apart by its `type`.',
          oneOf: [
            ref('DecisionEvent'),
            ref('ActionEvent'),
            ref('OutcomeEvent'),
            ref('AnnotationEvent'),
          ],
        },
        DecisionEvent: component(DecisionEvent),
        ActionEvent: component(ActionEvent),
        OutcomeEvent: component(OutcomeEvent),
        AnnotationEvent: component(AnnotationEvent),
        StoredDecision: storedEvent(DecisionEvent, {
          personal: {
            description:
              'Present when personal values of the decision were sealed (docs/privacy.md): ' +
              'opened while the subject key exists, erased once it is destroyed; as the leaf ' +
              'holds it with ?proof=true or where the server does not open sealed values.',
            oneOf: [ref('OpenedPersonal'), ref('ErasedPersonal'), ref('PersonalCommitment')],
          },
        }),
        StoredAction: storedEvent(ActionEvent),
        StoredOutcome: storedEvent(OutcomeEvent),
        StoredAnnotation: storedEvent(AnnotationEvent, { posted_by: ref('PostedBy') }),
        LeafDecision: storedEvent(DecisionEvent, { personal: ref('PersonalCommitment') }),
        LeafEvent: {
          description: 'A stored event as its ledger leaf holds it: sealed values absent.',
          oneOf: [
            ref('LeafDecision'),
            ref('StoredAction'),
            ref('StoredOutcome'),
            ref('StoredAnnotation'),
          ],
        },
        ...personalSchemas,
        LogEntry: logEntry(ref('LeafEvent')),
        IngestResults: {
          type: 'object',
          required: ['results'],
          properties: {
            results: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'seq', 'status'],
                properties: {
                  id: { type: 'string' },
                  seq: { type: 'integer', minimum: 0 },
                  status: { enum: ['created', 'duplicate'] },
                },
              },
            },
          },
        },
        DecisionChain: {
          type: 'object',
          description:
            'With ?proof=true every event is as its leaf holds it, and checkpoint, tree_size ' +
            'and proofs are added.',
          required: ['decision', 'actions', 'outcomes', 'annotations'],
          properties: {
            decision: ref('StoredDecision'),
            actions: { type: 'array', items: ref('StoredAction') },
            outcomes: { type: 'array', items: ref('StoredOutcome') },
            annotations: { type: 'array', items: ref('StoredAnnotation') },
            checkpoint: { type: 'string', description: 'The signed checkpoint note.' },
            tree_size: { type: 'integer', minimum: 1 },
            proofs: {
              type: 'array',
              description: 'An RFC 9162 inclusion proof per event, against the checkpoint.',
              items: {
                type: 'object',
                required: ['seq', 'leaf_hash', 'hashes'],
                properties: {
                  seq: { type: 'integer', minimum: 0 },
                  leaf_hash: { type: 'string', contentEncoding: 'base64' },
                  hashes: { type: 'array', items: { type: 'string', contentEncoding: 'base64' } },
                },
              },
            },
          },
        },
        DecisionPage: {
          type: 'object',
          required: ['items', 'next_cursor'],
          properties: {
            items: { type: 'array', items: ref('StoredDecision') },
            next_cursor: { type: ['string', 'null'] },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'details'],
              properties: {
                code: { enum: [...ERROR_CODES] },
                message: { type: 'string' },
                details: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['path', 'message'],
                    properties: {
                      index: {
                        type: 'integer',
                        description: 'Position of the event in the request.',
                      },
                      path: {
                        type: 'string',
                        description: 'Field path, e.g. rationale.reasons[0].code.',
                      },
                      message: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 document of the HTTP API v1, built from the schemas the server validates with. */
export function openApiDocument(): JsonObject {
  const base = decisionLogDocument() as {
    paths: Record<string, Record<string, JsonObject>>;
    components: { schemas: JsonObject };
  };
  return {
    ...base,
    paths: withOperationIds(
      withAccessControl({
        ...base.paths,
        ...governancePaths(base.paths),
        ...securityLogPaths(base.paths),
        ...analyticsPaths(),
      }),
    ),
    components: {
      ...base.components,
      schemas: {
        ...base.components.schemas,
        AccessEntry: ACCESS_ENTRY_SCHEMA,
        AccessLogEntry: logEntry(ref('AccessEntry')),
        SecurityEntry: SECURITY_ENTRY_SCHEMA,
        SecurityLogEntry: logEntry(ref('SecurityEntry')),
        Readiness: {
          type: 'object',
          required: ['status', 'store'],
          properties: {
            status: { enum: ['ready', 'unavailable'] },
            store: { type: 'string', description: '"ok", or why not, without details.' },
          },
        },
        StoredMaskingPolicy: STORED_MASKING_POLICY_SCHEMA,
        AnnotationPolicy: ANNOTATION_POLICY_SCHEMA,
        StoredAnnotationPolicy: STORED_ANNOTATION_POLICY_SCHEMA,
        PostedBy: POSTED_BY_SCHEMA,
        LegalHold: LEGAL_HOLD_SCHEMA,
        RetentionPolicy: RETENTION_POLICY_SCHEMA,
        StoredRetentionPolicy: STORED_RETENTION_POLICY_SCHEMA,
        RetentionReport: RETENTION_REPORT_SCHEMA,
        ModelDeclaration: MODEL_DECLARATION_SCHEMA,
        AnomalyPoint: ANOMALY_POINT_SCHEMA,
      },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key: Authorization: Bearer dlk_…',
        },
      },
    },
  };
}
