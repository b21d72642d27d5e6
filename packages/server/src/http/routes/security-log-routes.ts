import type { FastifyInstance } from 'fastify';
import { DeclogError } from '../../errors.js';
import type { AppDeps } from '../app-deps.js';
import { queryOf } from '../http-replies.js';
import type { Recorded } from '../recorded-route.js';
import type { RequestAccess } from '../request-access.js';
import { readSecurityLog } from '../../services/governance/read-security-log.js';
import {
  checkpointNote,
  consistencyProofJson,
  inclusionProofJson,
  readEntries,
  readEntry,
} from '../../services/ledger/read-log.js';

/**
 * The server's security trail (refusals that reach no tenant's access trail): its filtered
 * query and the ledger endpoints a verifier uses. For admins of all tenants only: it concerns
 * every tenant.
 */
export function securityLogRoutes(app: FastifyInstance, deps: AppDeps, recorded: Recorded): void {
  const trail = async (access: RequestAccess) => {
    if (access.principal.tenant !== null) {
      throw new DeclogError(
        'forbidden',
        'the security trail concerns every tenant: only an admin key of all tenants reads it',
      );
    }
    return (await deps.logs.security()).reads;
  };
  const permission = 'read:security-log';
  app.get('/v1/security-log', async (request, reply) =>
    recorded(request, reply, { permission, action: 'security-log.query' }, async (access) => {
      const search = new URLSearchParams(request.url.split('?')[1] ?? '');
      return readSecurityLog((await trail(access)).store, search);
    }),
  );
  app.get<{ Params: { seq: string } }>('/v1/security-log/entries/:seq', async (request, reply) =>
    recorded(request, reply, { permission, action: 'security-log.entry.read' }, async (access) =>
      readEntry((await trail(access)).store, request.params.seq),
    ),
  );
  app.get('/v1/security-log/entries', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission, action: 'security-log.entries.read' },
      async (access) => {
        const { from, limit } = queryOf(request.url, ['from', 'limit']);
        return readEntries((await trail(access)).store, from, limit);
      },
    ),
  );
  app.get('/v1/security-log/checkpoint', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission, action: 'security-log.checkpoint.read', text: true },
      async (access) => {
        const { size } = queryOf(request.url, ['size']);
        return { json: await checkpointNote(await trail(access), size), records: 0 };
      },
    ),
  );
  app.get('/v1/security-log/proof/inclusion', async (request, reply) =>
    recorded(request, reply, { permission, action: 'security-log.proof.read' }, async (access) => {
      const { seq, size } = queryOf(request.url, ['seq', 'size']);
      return { json: await inclusionProofJson(await trail(access), seq, size), records: 0 };
    }),
  );
  app.get('/v1/security-log/proof/consistency', async (request, reply) =>
    recorded(request, reply, { permission, action: 'security-log.proof.read' }, async (access) => {
      const { from, to } = queryOf(request.url, ['from', 'to']);
      return {
        json: await consistencyProofJson((await trail(access)).store, from, to),
        records: 0,
      };
    }),
  );
}
