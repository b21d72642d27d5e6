import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DeclogError } from '../errors.js';
import type { DashboardAsset, DashboardAssets } from './dashboard-assets.js';
import { sendError } from './http-replies.js';

/**
 * The dashboard's pages: each answers index.html, and the browser's router shows the page.
 * A path outside this list is the API's 404, so that a mistyped API path is never answered
 * with HTML.
 */
export const DASHBOARD_PAGES = [
  '/',
  '/sign-in',
  '/decisions',
  '/decisions/:id',
  '/review',
  '/models',
  '/models/:name',
  '/ledger',
  '/access',
] as const;

/**
 * The policy of every dashboard file: scripts, styles and requests from this origin only, no
 * inline script or style, no frames, no plugins, and DOM sinks guarded by Trusted Types (the
 * dashboard writes no HTML as text). The API answers JSON, which a browser never runs.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  Vary: 'Accept-Encoding',
};

/** Serves the built dashboard at `/` (see DASHBOARD_PAGES) and its files under /assets/. */
export function dashboardRoutes(app: FastifyInstance, assets: DashboardAssets | null): void {
  const missing = () =>
    new DeclogError(
      'route_not_found',
      'this declog was built without its dashboard (run npm run build in the repository)',
    );
  for (const page of DASHBOARD_PAGES) {
    app.get(page, async (request, reply) => {
      const index = assets?.get('/index.html');
      if (!index) return sendError(reply, missing());
      return sendAsset(request, reply, index);
    });
  }
  app.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    const asset = assets?.get(`/assets/${request.params['*']}`);
    if (!asset) {
      return sendError(reply, new DeclogError('route_not_found', `no file ${request.url}`));
    }
    return sendAsset(request, reply, asset);
  });
  for (const [path, asset] of assets ?? []) {
    // Files at the top of the build (the icon): revalidated, as index.html is.
    if (path.startsWith('/assets/') || path === '/index.html') continue;
    app.get(path, async (request, reply) => sendAsset(request, reply, asset));
  }
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: DashboardAsset) {
  reply.headers(DASHBOARD_HEADERS);
  reply.header('ETag', asset.etag);
  reply.header(
    'Cache-Control',
    asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  reply.type(asset.type);
  if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (asset.brotli && /\bbr\b/.test(accepted)) {
    return reply.header('Content-Encoding', 'br').send(asset.brotli);
  }
  if (asset.gzip && /\bgzip\b/.test(accepted)) {
    return reply.header('Content-Encoding', 'gzip').send(asset.gzip);
  }
  return reply.send(asset.body);
}
