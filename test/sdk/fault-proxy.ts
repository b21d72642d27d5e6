import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with each request: `forward` it; answer `503` (with Retry-After: 1);
 * forward it and then `drop` the connection before answering (the server stores the events,
 * the producer never hears so); `refuse` connections outright.
 */
export type ProxyMode = 'forward' | '503' | 'drop' | 'refuse';

export interface FaultProxy {
  readonly url: string;
  mode: ProxyMode;
  /** Requests seen, by what was done with them. */
  readonly counts: Record<ProxyMode, number>;
  /** TCP connections the producer opened to the proxy. */
  connections(): number;
  close(): Promise<void>;
}

/** A small HTTP proxy in front of a declog server that injects faults, for the SDK's tests. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const counts: Record<ProxyMode, number> = { forward: 0, '503': 0, drop: 0, refuse: 0 };
  const proxy: { mode: ProxyMode } = { mode: 'forward' };
  const server = createServer((req, res) => {
    const mode = proxy.mode;
    counts[mode] += 1;
    if (mode === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (mode === '503') {
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(
          JSON.stringify({ error: { code: 'store_unavailable', message: 'proxy says 503' } }),
        );
      });
      return;
    }
    forward(target, req, res, mode === 'drop');
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return proxy.mode;
    },
    set mode(mode: ProxyMode) {
      proxy.mode = mode;
    },
    counts,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(target: string, req: IncomingMessage, res: ServerResponse, drop: boolean) {
  const url = new URL(req.url ?? '/', target);
  const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
    if (drop) {
      // The server has stored the events and answered; the producer never gets the answer.
      answer.resume();
      answer.on('end', () => req.socket.destroy());
      return;
    }
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => req.socket.destroy());
  req.pipe(upstream);
}
