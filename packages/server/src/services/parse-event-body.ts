import { formatPath, mayRepeatMembers, repeatedMembers } from '@declog/core';
import { DeclogError, type ErrorDetail } from '../errors.js';

export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson'] as const;

/**
 * Reads an ingest body: `{"events": [...]}` as JSON, or one event a line as NDJSON (blank lines
 * are skipped). Events are checked later; here only the JSON syntax, and that no object
 * repeats a member name (JSON.parse would keep the last silently: an event must mean one
 * thing). `unique: false` skips that check, for a look at a body that is checked elsewhere.
 */
export function parseEventBody(text: string, ndjson: boolean, unique = true): unknown[] {
  return ndjson ? parseNdjson(text, unique) : parseJsonBatch(text, unique);
}

function parseJsonBatch(text: string, unique: boolean): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DeclogError('invalid_json', `body is not valid JSON: ${(error as Error).message}`);
  }
  if (unique && mayRepeatMembers(text, body)) refuseRepeats(repeatedMembers(text), null);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DeclogError('invalid_body', 'body must be an object {"events": [...]}', [
      { path: '', message: 'must be an object with an "events" array' },
    ]);
  }
  const extra = Object.keys(body).filter((key) => key !== 'events');
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events) || extra.length > 0) {
    const details: ErrorDetail[] = extra.map((key) => ({ path: key, message: 'unknown field' }));
    if (!Array.isArray(events)) details.unshift({ path: 'events', message: 'must be an array' });
    throw new DeclogError('invalid_body', 'body must be an object {"events": [...]}', details);
  }
  return events;
}

function parseNdjson(text: string, unique: boolean): unknown[] {
  const events: unknown[] = [];
  const bad: ErrorDetail[] = [];
  const repeats: (string | number)[][] = [];
  const lines = text.split('\n');
  lines.forEach((line, lineIndex) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    try {
      const event: unknown = JSON.parse(trimmed);
      if (unique && mayRepeatMembers(trimmed, event)) {
        for (const path of repeatedMembers(trimmed)) repeats.push([events.length, ...path]);
      }
      events.push(event);
    } catch (error) {
      bad.push({
        index: events.length + bad.length,
        path: '',
        message: `line ${lineIndex + 1} is not valid JSON: ${(error as Error).message}`,
      });
    }
  });
  if (bad.length > 0) {
    throw new DeclogError('invalid_json', `${bad.length} line(s) are not valid JSON`, bad);
  }
  refuseRepeats(repeats, 0);
  return events;
}

const REPEATED = 'repeats a member name of the same object (member names must be unique)';

/**
 * Throws for repeated members, when there are any: `invalid_event` naming each event's index
 * and the member's path in it (paths start with the event's index from `eventsAt` on, `events`
 * and the index in a JSON body), else `invalid_json` naming the path in the body.
 */
function refuseRepeats(paths: readonly (string | number)[][], eventsAt: 0 | null): void {
  if (paths.length === 0) return;
  const inEvents = paths.filter((path) =>
    eventsAt === 0 ? true : path[0] === 'events' && typeof path[1] === 'number',
  );
  if (inEvents.length < paths.length) {
    throw new DeclogError(
      'invalid_json',
      'the body repeats a member name',
      paths.map((path) => ({ path: formatPath(path), message: REPEATED })),
    );
  }
  const skip = eventsAt === 0 ? 0 : 1;
  const details = inEvents.map((path) => ({
    index: path[skip] as number,
    path: formatPath(path.slice(skip + 1)),
    message: REPEATED,
  }));
  const events = new Set(details.map((detail) => detail.index)).size;
  throw new DeclogError(
    'invalid_event',
    `${events} event(s) repeat a member name; nothing was stored`,
    details,
  );
}
