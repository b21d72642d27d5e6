import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { queryOf } from '../http-replies.js';
import type { Recorded } from '../recorded-route.js';
import type { RequestAccess } from '../request-access.js';
import { readAccessLog } from '../../services/governance/read-access-log.js';
import {
  checkpointNote,
  consistencyProofJson,
  inclusionProofJson,
  readEntries,
  readEntry,
} from '../../services/ledger/read-log.js';

/** The access trail: its filtered query, and the ledger endpoints a verifier uses. */
export function accessLogRoutes(app: FastifyInstance, deps: AppDeps, recorded: Recorded): void {
  const accessTrail = async (access: RequestAccess) =>
    (await deps.logs.access(access.tenant)).reads;
  app.get('/v1/access-log', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.query' },
      async (access) => {
        const search = new URLSearchParams(request.url.split('?')[1] ?? '');
        return readAccessLog((await accessTrail(access)).store, search, (ids) =>
          deps.governance.accessDetails(access.tenant, ids),
        );
      },
    ),
  );
  app.get<{ Params: { seq: string } }>('/v1/access-log/entries/:seq', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.entry.read' },
      async (access) => readEntry((await accessTrail(access)).store, request.params.seq),
    ),
  );
  app.get('/v1/access-log/entries', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.entries.read' },
      async (access) => {
        const { from, limit } = queryOf(request.url, ['from', 'limit']);
        return readEntries((await accessTrail(access)).store, from, limit);
      },
    ),
  );
  app.get('/v1/access-log/checkpoint', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.checkpoint.read', text: true },
      async (access) => {
        const { size } = queryOf(request.url, ['size']);
        return { json: await checkpointNote(await accessTrail(access), size), records: 0 };
      },
    ),
  );
  app.get('/v1/access-log/proof/inclusion', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.proof.read' },
      async (access) => {
        const { seq, size } = queryOf(request.url, ['seq', 'size']);
        return { json: await inclusionProofJson(await accessTrail(access), seq, size), records: 0 };
      },
    ),
  );
  app.get('/v1/access-log/proof/consistency', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.proof.read' },
      async (access) => {
        const { from, to } = queryOf(request.url, ['from', 'to']);
        return {
          json: await consistencyProofJson((await accessTrail(access)).store, from, to),
          records: 0,
        };
      },
    ),
  );
}
