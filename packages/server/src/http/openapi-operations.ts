import type { JsonObject } from './openapi-components.js';

/**
 * The `operationId` of every operation, `METHOD /path` to a name: the method names of a client
 * generated from the document. A route without one fails `withOperationIds`, so a new route
 * gets its name where it is documented. Names are stable: clients call them.
 */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'GET /v1/events': 'listLogEntries',
  'POST /v1/events': 'postEvents',
  'GET /v1/events/{seq}': 'getLogEntry',
  'GET /v1/decisions': 'listDecisions',
  'GET /v1/decisions/{id}': 'getDecisionChain',
  'GET /v1/actions/{id}': 'getAction',
  'GET /v1/log/checkpoint': 'getCheckpoint',
  'GET /v1/log/key': 'getVerifierKey',
  'GET /v1/log/proof/inclusion': 'getInclusionProof',
  'GET /v1/log/proof/consistency': 'getConsistencyProof',
  'GET /healthz': 'getLiveness',
  'GET /readyz': 'getReadiness',
  'GET /openapi.json': 'getOpenApiDocument',
  'GET /v1/me': 'getCurrentKey',
  'GET /v1/access-log': 'queryAccessLog',
  'GET /v1/access-log/entries': 'listAccessLogEntries',
  'GET /v1/access-log/entries/{seq}': 'getAccessLogEntry',
  'GET /v1/access-log/checkpoint': 'getAccessLogCheckpoint',
  'GET /v1/access-log/proof/inclusion': 'getAccessLogInclusionProof',
  'GET /v1/access-log/proof/consistency': 'getAccessLogConsistencyProof',
  'POST /v1/keys': 'createKey',
  'GET /v1/keys': 'listKeys',
  'DELETE /v1/keys/{id}': 'revokeKey',
  'GET /v1/policies/masking': 'getMaskingPolicy',
  'PUT /v1/policies/masking': 'setMaskingPolicy',
  'DELETE /v1/policies/masking': 'deleteMaskingPolicy',
  'GET /v1/policies/retention': 'getRetentionPolicy',
  'PUT /v1/policies/retention': 'setRetentionPolicy',
  'DELETE /v1/policies/retention': 'deleteRetentionPolicy',
  'GET /v1/retention/plan': 'planRetention',
  'POST /v1/retention/apply': 'applyRetention',
  'DELETE /v1/subjects/{id}': 'eraseSubject',
  'POST /v1/holds': 'placeHold',
  'GET /v1/holds': 'listHolds',
  'DELETE /v1/holds/{id}': 'releaseHold',
  'GET /v1/tenants': 'listTenants',
  'GET /v1/security-log': 'querySecurityLog',
  'GET /v1/security-log/entries': 'listSecurityLogEntries',
  'GET /v1/security-log/entries/{seq}': 'getSecurityLogEntry',
  'GET /v1/security-log/checkpoint': 'getSecurityLogCheckpoint',
  'GET /v1/security-log/proof/inclusion': 'getSecurityLogInclusionProof',
  'GET /v1/security-log/proof/consistency': 'getSecurityLogConsistencyProof',
  'GET /v1/policies/annotations': 'getAnnotationPolicy',
  'PUT /v1/policies/annotations': 'setAnnotationPolicy',
  'DELETE /v1/policies/annotations': 'deleteAnnotationPolicy',
  'GET /v1/models': 'listModels',
  'GET /v1/models/{name}/versions/{version}': 'getModelVersion',
  'PUT /v1/models/{name}/versions/{version}': 'declareModelVersion',
  'GET /v1/policies/models': 'getModelPolicy',
  'PUT /v1/policies/models': 'setModelPolicy',
  'DELETE /v1/policies/models': 'deleteModelPolicy',
  'GET /v1/analyses/quality': 'analyseQuality',
  'GET /v1/analyses/drift': 'analyseDrift',
  'GET /v1/analyses/performance': 'analysePerformance',
  'GET /v1/analyses/fairness': 'analyseFairness',
  'GET /v1/analyses/anomalies': 'analyseAnomalies',
};

type Paths = Record<string, Record<string, JsonObject>>;

/** `paths` with each operation's `operationId` first; throws for an operation without one. */
export function withOperationIds(paths: Paths): Paths {
  return Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => {
          const operationId = OPERATION_IDS[`${method.toUpperCase()} ${path}`];
          if (operationId === undefined) {
            throw new Error(`no operationId for ${method.toUpperCase()} ${path}: add one`);
          }
          return [method, { operationId, ...operation }];
        }),
      ),
    ]),
  );
}
