import { connect, type Socket } from 'node:net';

/** What a server sent back on a raw connection, and when it closed it. */
export interface RawExchange {
  /** Everything received, as latin1 text (HTTP heads are ASCII). */
  readonly text: string;
  /** The status code of the first answer, or null when none came. */
  readonly status: number | null;
  /** The first answer's body parsed as JSON, or null. */
  readonly json: unknown;
  /** Milliseconds from the connection to its end (close, reset or error). */
  readonly closedAfterMs: number;
}

/** `http://host:port` as the options of `net.connect`. */
export function socketAddress(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) };
}

/**
 * A raw TCP connection to the server at `url`, once connected; from `localAddress` when given
 * (any 127.0.0.x is this machine on Linux: a client of another address).
 */
export function openSocket(url: string, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      ...socketAddress(url),
      ...(localAddress !== undefined ? { localAddress } : {}),
    });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `bytes` as they are on a new connection, without reading them as HTTP first, and
 * collects what comes back until the server ends the connection (or `timeoutMs`, when the
 * test fails: a server must not keep a connection it refused).
 */
export async function rawExchange(
  url: string,
  bytes: string | Uint8Array,
  timeoutMs = 10_000,
): Promise<RawExchange> {
  const started = performance.now();
  const socket = await openSocket(url);
  socket.write(bytes);
  return collect(socket, started, timeoutMs);
}

/** Reads `socket` until it ends; see `rawExchange`. */
export function collect(socket: Socket, started: number, timeoutMs: number): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer is still an end: what was received counts.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({
        text,
        status: statusOf(text),
        json: jsonBodyOf(text),
        closedAfterMs: performance.now() - started,
      });
    });
  });
}

function statusOf(text: string): number | null {
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(text);
  return match ? Number(match[1]) : null;
}

function jsonBodyOf(text: string): unknown {
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** The value of header `name` in the first answer of `text`, or undefined. */
export function rawHeader(text: string, name: string): string | undefined {
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}
