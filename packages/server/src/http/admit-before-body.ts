import type { FastifyInstance } from 'fastify';
import { roleAllows, type Permission } from '@declog/core';
import type { Principal } from '../services/governance/principal.js';
import type { RequestKind } from '../services/governance/rate-limiter.js';
import { requestAccess, type AccessDeps } from './request-access.js';

/** What a route that takes a body needs of its caller, checked before the body is read. */
export interface RouteAccess {
  readonly needs: Permission | ((principal: Principal) => Permission);
  readonly kind: RequestKind;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set from BODY_ROUTE_ACCESS on every route whose method may carry a body. */
    readonly access?: RouteAccess;
  }
}

/**
 * Who may append events: producers and admins, and reviewers their own annotations. A key that
 * may append neither is told who may append events.
 */
export const INGEST_ACCESS: RouteAccess = {
  needs: (principal) =>
    !roleAllows(principal.role, 'write:events') && roleAllows(principal.role, 'write:annotations')
      ? 'write:annotations'
      : 'write:events',
  kind: 'write',
};

const write = (needs: Permission): RouteAccess => ({ needs, kind: 'write' });

/**
 * Who may call each route whose method may carry a body (all but GET and HEAD), by
 * `METHOD /template`: the same permission its handler asks for. A route missing here cannot be
 * added (see admitBeforeBody).
 */
export const BODY_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'POST /v1/events': INGEST_ACCESS,
  'POST /v1/keys': write('manage:keys'),
  'DELETE /v1/keys/:id': write('manage:keys'),
  'DELETE /v1/subjects/:id': write('erase:subjects'),
  'POST /v1/holds': write('manage:policies'),
  'DELETE /v1/holds/:id': write('manage:policies'),
  'PUT /v1/policies/masking': write('manage:policies'),
  'DELETE /v1/policies/masking': write('manage:policies'),
  'PUT /v1/policies/annotations': write('manage:policies'),
  'DELETE /v1/policies/annotations': write('manage:policies'),
  'PUT /v1/policies/retention': write('manage:policies'),
  'DELETE /v1/policies/retention': write('manage:policies'),
  'POST /v1/retention/apply': write('manage:policies'),
  'PUT /v1/models/:name/versions/:version': write('manage:policies'),
  'PUT /v1/policies/models': write('manage:policies'),
  'DELETE /v1/policies/models': write('manage:policies'),
};

/**
 * Lets a request whose method may carry a body in only once its headers show a key allowed to
 * call the route, for its tenant; anyone else is answered from the headers, the connection
 * closed and the body never read (see the error handler). GET and HEAD bodies are never read,
 * so their routes authenticate in their handlers. A request to no route at all needs a valid
 * key before it is told so. Call before any route is added.
 */
export function admitBeforeBody(app: FastifyInstance, deps: AccessDeps): void {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (BODILESS.has(method)) continue;
      const access = BODY_ROUTE_ACCESS[`${method} ${route.url}`];
      if (!access) {
        throw new Error(`${method} ${route.url} takes a body: add it to BODY_ROUTE_ACCESS`);
      }
      route.config = { ...route.config, access };
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    if (BODILESS.has(request.method)) return;
    const access = request.routeOptions.config.access;
    try {
      await requestAccess(deps, request, access?.needs ?? 'read:public', access?.kind ?? 'write');
    } catch (error) {
      // Whatever of the body has arrived is discarded with the connection, unread.
      reply.header('connection', 'close');
      throw error;
    }
  });
}

const BODILESS = new Set(['GET', 'HEAD']);
