import { Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../cli-io.js';
import { openLogTarget, withLogTarget, type LogTargetOptions } from '../log-target.js';
import { renderDecisionTable } from '../render-decision-table.js';

interface QueryOptions extends LogTargetOptions {
  model?: string;
  modelVersion?: string;
  from?: string;
  to?: string;
  reason?: string;
  actionKind?: string;
  outcomeStatus?: string;
  subject?: string;
  label: string[];
  q?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

/** Query flags and the API parameter each one sets. */
const FLAG_PARAMETERS = [
  ['model', 'model'],
  ['modelVersion', 'model_version'],
  ['from', 'from'],
  ['to', 'to'],
  ['reason', 'reason'],
  ['actionKind', 'action_kind'],
  ['outcomeStatus', 'outcome_status'],
  ['subject', 'subject'],
  ['q', 'q'],
  ['limit', 'limit'],
  ['cursor', 'cursor'],
] as const;

/** The API query string for the command's flags; the server (or store) validates the values. */
export function queryParameters(options: QueryOptions): URLSearchParams {
  const params = new URLSearchParams();
  for (const [flag, parameter] of FLAG_PARAMETERS) {
    const value = options[flag];
    if (value !== undefined) params.set(parameter, value);
  }
  for (const pair of options.label) {
    const [key, value] = labelFilter(pair);
    params.set(`label.${key}`, value);
  }
  return params;
}

/**
 * `--label KEY=VALUE` as its key and value (the value may be empty: `team=`). A key alone is
 * refused, naming the flag: it would otherwise ask for the label with an empty value and
 * silently match nothing.
 */
export function labelFilter(pair: string): readonly [key: string, value: string] {
  const eq = pair.indexOf('=');
  if (eq < 0) {
    throw new InvalidArgumentError(
      `needs KEY=VALUE, as in --label ${pair === '' ? 'team' : pair}=risk (a label of that value)`,
    );
  }
  if (eq === 0) throw new InvalidArgumentError('needs a label key before =, as in team=risk');
  return [pair.slice(0, eq), pair.slice(eq + 1)];
}

export function queryCommand(io: CliIo): Command {
  return withLogTarget(
    new Command('query')
      .description('list decisions, newest first (a table, or JSON with --json)')
      .option('--model <name>', 'model name')
      .option('--model-version <version>', 'model version')
      .option(
        '--from <time>',
        'earliest occurred_at, inclusive: RFC 3339 (2026-10-01T08:00:00Z) or a date (2026-10-01, the start of that day in UTC)',
      )
      .option('--to <time>', 'latest occurred_at, exclusive: RFC 3339 or a date, as --from')
      .option('--reason <code>', 'has this reason code')
      .option('--action-kind <kind>', 'has an action of this kind')
      .option('--outcome-status <status>', 'has an outcome with this status')
      .option('--subject <id>', 'data-subject id')
      .option(
        '--label <key=value>',
        'has this label with this value (repeatable: all of them)',
        (v: string, all: string[]) => {
          labelFilter(v);
          return [...all, v];
        },
        [],
      )
      .option('--q <words>', 'words that must all appear in the rationale summary')
      .option('--limit <n>', 'page size, 1-1000 (default 100)')
      .option(
        '--cursor <cursor>',
        'continue after a previous page, with the same filters (the limit may change)',
      )
      .option('--json', 'print {"items", "next_cursor"} as JSON'),
  ).action(async (options: QueryOptions) => {
    const client = await openLogTarget(options, io.env, 'read');
    try {
      const page = await client.listDecisions(queryParameters(options));
      io.stdout.write(
        options.json ? `${page}\n` : renderDecisionTable(page, io.stdout.columns ?? 120),
      );
    } finally {
      await client.close();
    }
  });
}
