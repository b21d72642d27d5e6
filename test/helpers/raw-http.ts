import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/**
 * Sends `head` (request line and headers, without the blank line) and `body` over a plain TCP
 * connection and reads the answer until the server closes it. Unlike fetch it shows what the
 * server answers even when it answers before reading the whole request.
 */
export function rawHttp(baseUrl: string, head: string, body = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while we are still writing; what it sent before counts.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? NaN);
      if (split < 0 || Number.isNaN(status))
        reject(new Error(`no HTTP answer: ${text.slice(0, 200)}`));
      else resolve({ status, head: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(`${head.replace(/\r?\n/g, '\r\n')}\r\nconnection: close\r\n\r\n`);
    socket.end(body);
  });
}
