import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventStore } from '@declog/core';
import type { RevealRows } from '../../services/privacy/reveal-personal.js';
import { modelInventory, modelVersion } from '../../services/analytics/model-inventory.js';
import { modelRegistry } from '../../services/analytics/model-registry.js';
import { runAnalysis, type AnalysisName } from '../../services/analytics/run-analysis.js';
import type { AppDeps } from '../app-deps.js';
import { jsonBody, queryOf } from '../http-replies.js';
import type { RequestAccess } from '../request-access.js';
import type { Recorded } from '../recorded-route.js';

/**
 * The model inventory (`/v1/models`: admins declare, reviewers, auditors and admins read) and
 * the analyses (`GET /v1/analyses/NAME`, read like decisions and recorded in the access trail).
 */
export function analyticsRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  recorded: Recorded,
  revealFor: (access: RequestAccess, store: EventStore) => RevealRows,
): void {
  const registry = modelRegistry(deps.governance);
  const store = async (access: RequestAccess) =>
    (await deps.logs.decisions(access.tenant)).reads.store;

  app.get('/v1/models', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:decisions', action: 'models.list' },
      async (access) => {
        queryOf(request.url, []);
        const inventory = await modelInventory(await store(access), registry, access.tenant);
        return { json: JSON.stringify(inventory), records: inventory.models.length };
      },
    ),
  );
  app.get<{ Params: { name: string; version: string } }>(
    '/v1/models/:name/versions/:version',
    async (request, reply) =>
      recorded(
        request,
        reply,
        { permission: 'read:decisions', action: 'models.read' },
        async (access) => {
          queryOf(request.url, []);
          const { name, version } = request.params;
          const found = await modelVersion(
            await store(access),
            registry,
            access.tenant,
            name,
            version,
          );
          return { json: JSON.stringify(found), records: 1 };
        },
      ),
  );
  app.put<{ Params: { name: string; version: string } }>(
    '/v1/models/:name/versions/:version',
    async (request, reply) =>
      recorded(
        request,
        reply,
        { permission: 'manage:policies', action: 'models.declare', kind: 'write' },
        async (access) => {
          queryOf(request.url, []);
          const { name, version } = request.params;
          const { declared, created } = await registry.declare(
            access.tenant,
            name,
            version,
            jsonBody(request),
            access.principal.name,
            deps.now().toISOString(),
          );
          return {
            json: JSON.stringify({ ...declared, created }),
            records: 1,
            status: created ? 201 : 200,
            details: { model: name, version, revision: String(declared.current.revision) },
          };
        },
      ),
  );

  const analysis = (name: AnalysisName) => async (request: FastifyRequest, reply: FastifyReply) =>
    recorded(
      request,
      reply,
      { permission: 'read:decisions', action: `analyses.${name}` },
      async (access) => {
        const log = await store(access);
        const answer = await runAnalysis(
          name,
          {
            store: log,
            reveal: revealFor(access, log),
            registry,
            tenant: access.tenant,
            nowMs: deps.now().getTime(),
          },
          new URLSearchParams(request.url.split('?')[1] ?? ''),
        );
        return { json: JSON.stringify(answer), records: 0 };
      },
    );
  app.get('/v1/analyses/quality', analysis('quality'));
  app.get('/v1/analyses/drift', analysis('drift'));
  app.get('/v1/analyses/performance', analysis('performance'));
  app.get('/v1/analyses/fairness', analysis('fairness'));
  app.get('/v1/analyses/anomalies', analysis('anomalies'));
}
