import { DeclogError, type ErrorDetail } from '../errors.js';

export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson'] as const;

/**
 * Reads an ingest body: `{"events": [...]}` as JSON, or one event a line as NDJSON (blank lines
 * are skipped). Events are checked later; only the JSON syntax is checked here.
 */
export function parseEventBody(text: string, ndjson: boolean): unknown[] {
  return ndjson ? parseNdjson(text) : parseJsonBatch(text);
}

function parseJsonBatch(text: string): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DeclogError('invalid_json', `body is not valid JSON: ${(error as Error).message}`);
  }
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

function parseNdjson(text: string): unknown[] {
  const events: unknown[] = [];
  const bad: ErrorDetail[] = [];
  const lines = text.split('\n');
  lines.forEach((line, lineIndex) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    try {
      events.push(JSON.parse(trimmed));
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
  return events;
}
