import type { FastifyInstance } from 'fastify';

/**
 * Records the methods of every route added after it is called, and returns a function that
 * gives the methods a path may be requested with (`GET, HEAD`), or none when no route has that
 * path: a known path asked with another method is answered 405 with `Allow`, not 404.
 */
export function routeMethods(app: FastifyInstance): (path: string) => readonly string[] {
  const routes: { readonly pattern: RegExp; readonly methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const source = `^${route.url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`;
    let entry = routes.find((r) => r.pattern.source === source);
    if (!entry) {
      entry = { pattern: new RegExp(source), methods: new Set() };
      routes.push(entry);
    }
    for (const method of [route.method].flat()) entry.methods.add(method);
    // Fastify answers HEAD for every GET route.
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
  });
  return (path) => {
    const methods = new Set<string>();
    for (const route of routes) {
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    }
    return ORDER.filter((method) => methods.has(method));
  };
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
