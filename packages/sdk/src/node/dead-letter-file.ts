import { appendFile, open } from 'node:fs/promises';
import type { DeadLetter, DeadLetterSink } from '../internal/spool.js';

/**
 * Refused events as JSON lines, appended and fsynced: one line per event,
 * `{"dead_lettered_at", "status", "code", "message", "issues", "event"}`, where `issues` are the
 * server's details for that event (their `index` is dropped: it was the position in a batch).
 */
export function deadLetterFile(path: string, now: () => number): DeadLetterSink {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    write(letters) {
      const run = queue.then(() => writeLetters(path, letters, now()));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

async function writeLetters(path: string, letters: readonly DeadLetter[], nowMs: number) {
  const at = new Date(nowMs).toISOString();
  const text = letters
    .map(({ record, error }) => {
      const issues = error.issues.map(({ path, message }) => ({ path, message }));
      const head = JSON.stringify({
        dead_lettered_at: at,
        status: error.status ?? null,
        code: error.serverCode ?? error.code,
        message: error.message,
        issues,
      });
      // The event's text is spliced in as it was queued, never re-encoded.
      return `${head.slice(0, -1)},"event":${record.json}}\n`;
    })
    .join('');
  await appendFile(path, text);
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
