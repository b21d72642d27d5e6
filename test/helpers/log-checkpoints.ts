import { performance } from 'node:perf_hooks';
import { request } from './http-api.js';

/** A checkpoint note as `GET /v1/log/checkpoint` serves it. */
export interface CheckpointNote {
  readonly origin: string;
  readonly size: number;
  /** base64 of the tree root. */
  readonly root: string;
  readonly text: string;
}

/** The note's origin, size and root lines; the signature lines follow a blank line. */
export function parseCheckpointNote(text: string): CheckpointNote {
  const [origin = '', size = '', root = ''] = text.split('\n');
  return { origin, size: Number(size), root, text };
}

/** The latest checkpoint that the server at `url` serves. */
export async function latestCheckpoint(url: string): Promise<CheckpointNote> {
  const response = await request<string>(url, '/v1/log/checkpoint');
  if (response.status !== 200) {
    throw new Error(`checkpoint: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return parseCheckpointNote(String(response.body));
}

/**
 * Polls every server until each serves a checkpoint of at least `size` entries; resolves to
 * the notes (one a server, in order) and when the last one was seen (performance.now()).
 */
export async function waitForCheckpoints(
  urls: readonly string[],
  size: number,
  timeoutMs = 5_000,
): Promise<{ notes: CheckpointNote[]; seenAt: number }> {
  const deadline = performance.now() + timeoutMs;
  const notes: CheckpointNote[] = [];
  for (const url of urls) {
    for (;;) {
      const note = await latestCheckpoint(url);
      if (note.size >= size) {
        notes.push(note);
        break;
      }
      if (performance.now() > deadline) {
        throw new Error(`${url} still serves a checkpoint of size ${note.size}, not ${size}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return { notes, seenAt: performance.now() };
}
