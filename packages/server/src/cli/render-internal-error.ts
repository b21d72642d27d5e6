/** Fields of a PostgreSQL error (pg's DatabaseError) that name what the database refused. */
const DATABASE_FIELDS = ['code', 'detail', 'constraint', 'table', 'where'] as const;

/**
 * An unexpected error as `declog serve` logs it: its stack (or message), the database's own
 * account of it when there is one (SQLSTATE, detail, constraint), and the same for its causes.
 * Continuation lines are indented, so that a reader of the log can tell where a report ends.
 *
 * @example renderInternalError(error) // 'declog: internal error: error: deadlock detected\n  code: 40P01\n…'
 */
export function renderInternalError(error: unknown): string {
  const lines = [`declog: internal error: ${describe(error)}`];
  let cause = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; cause !== undefined && depth < 3; depth += 1) {
    lines.push(`caused by: ${describe(cause)}`);
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  const [first = '', ...rest] = lines.join('\n').split('\n');
  return `${[first, ...rest.map((line) => `  ${line.trimStart()}`)].join('\n')}\n`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const fields = DATABASE_FIELDS.flatMap((name) => {
    const value = (error as unknown as Record<string, unknown>)[name];
    return typeof value === 'string' && value !== '' ? [`${name}: ${value}`] : [];
  });
  return [error.stack ?? String(error), ...fields].join('\n');
}
