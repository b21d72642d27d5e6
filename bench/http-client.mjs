import http from 'node:http';
import { Buffer } from 'node:buffer';
import { BENCH_ADMIN_KEY } from './server-process.mjs';

/**
 * A keep-alive HTTP/1.1 client with as many sockets as requests in flight, so that timings
 * measure the server and not connection set-up.
 */
export function httpClient(baseUrl, { sockets = 2, apiKey = BENCH_ADMIN_KEY } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const request = (method, path, body) =>
    new Promise((resolve, reject) => {
      const headers = { authorization: `Bearer ${apiKey}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const req = http.request(new URL(path, baseUrl), { method, agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    close: () => agent.destroy(),
  };
}
