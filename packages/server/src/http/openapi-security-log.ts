import { MAX_PAGE_BYTES, SECURITY_REFUSALS } from '@declog/core';
import { SECURITY_LOG_PARAMETERS } from '../services/governance/read-security-log.js';
import { ref, type JsonObject } from './openapi-components.js';
import { retarget } from './openapi-governance.js';

type Paths = Record<string, Record<string, JsonObject>>;
const json = (schema: unknown) => ({ 'application/json': { schema } });

/**
 * The security trail's endpoints (admins of all tenants): the filtered query, and the decision
 * log's ledger endpoints under /v1/security-log, given the decision log's paths to copy.
 */
export function securityLogPaths(logPaths: Paths): Paths {
  const copy = (path: string, summary: string) => {
    const get = logPaths[path]?.['get'];
    if (!get) throw new Error(`no GET ${path} to copy`);
    return { get: { ...(retarget(get, 'LogEntry', 'SecurityLogEntry') as JsonObject), summary } };
  };
  return {
    '/v1/security-log': {
      get: {
        summary: 'Security trail entries with filters, in log order (admins of all tenants)',
        parameters: Object.entries(SECURITY_LOG_PARAMETERS).map(([name, description]) => ({
          name,
          in: 'query',
          required: false,
          description,
          schema: { type: 'string' },
        })),
        responses: {
          '200': {
            description: `A page of security entries as stored: at most \`limit\`, and no more than ${MAX_PAGE_BYTES} bytes of them (at least one).`,
            content: json({
              type: 'object',
              required: ['items', 'next_cursor'],
              properties: {
                items: { type: 'array', items: ref('SecurityEntry') },
                next_cursor: { type: ['string', 'null'] },
              },
            }),
          },
          '400': { description: 'Invalid query parameters.', content: json(ref('Error')) },
        },
      },
    },
    '/v1/security-log/entries': copy('/v1/events', 'Consecutive security trail entries'),
    '/v1/security-log/entries/{seq}': copy('/v1/events/{seq}', 'A security trail entry'),
    '/v1/security-log/checkpoint': copy(
      '/v1/log/checkpoint',
      "The security trail's signed checkpoint",
    ),
    '/v1/security-log/proof/inclusion': copy(
      '/v1/log/proof/inclusion',
      'Inclusion proof of a security trail entry',
    ),
    '/v1/security-log/proof/consistency': copy(
      '/v1/log/proof/consistency',
      'Consistency proof between two security trail sizes',
    ),
  };
}

export const SECURITY_ENTRY_SCHEMA = {
  type: 'object',
  required: ['id', 'type', 'occurred_at', 'refusal', 'seq', 'recorded_at'],
  properties: {
    id: { type: 'string' },
    type: { const: 'security' },
    occurred_at: { type: 'string', format: 'date-time' },
    refusal: {
      enum: [...SECURITY_REFUSALS, 'suppressed'],
      description:
        'Why the request was refused; suppressed: counts of refusals not recorded one by one.',
    },
    status: { type: 'integer' },
    message: { type: 'string', description: 'What the client was told.' },
    method: { type: 'string' },
    route: { type: 'string', description: 'The route template; absent when none matched.' },
    client: {
      type: 'object',
      required: ['address'],
      properties: { address: { type: 'string' } },
    },
    key_id: { type: 'string', description: 'The id of the key presented, when the server has it.' },
    tenant: { type: 'string', description: 'The tenant named in X-Declog-Tenant.' },
    counts: {
      type: 'object',
      description: 'suppressed: refusals not recorded one by one, by kind.',
      additionalProperties: { type: 'integer', minimum: 1 },
    },
    seq: { type: 'integer', minimum: 0 },
    recorded_at: { type: 'string', format: 'date-time' },
  },
};
