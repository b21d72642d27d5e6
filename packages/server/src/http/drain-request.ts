import type { IncomingMessage } from 'node:http';

/**
 * Reads and discards the rest of a request body that will not be used (one over the size
 * limit, say), so that a client still sending it can read the answer instead of meeting a
 * reset connection. Gives up after `maxBytes` or `timeoutMs`, whichever comes first.
 */
export function drainRequest(
  request: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let received = 0;
    const finish = () => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', finish);
      request.off('error', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    request.on('data', onData);
    request.once('end', finish);
    request.once('error', finish);
    request.resume();
  });
}
