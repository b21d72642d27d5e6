/** One problem with one field of one submitted event. `path` is `""` for the event itself. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Formats a path as dotted segments with bracketed array indexes, e.g. `rationale.reasons[0].code`.
 * Keys that are not plain identifiers are quoted, e.g. `labels["team name"]`.
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
