import { Command } from 'commander';
import { jsonText } from '@declog/core';
import { DeclogError, isDeclogError } from '../../errors.js';
import type { CliIo } from '../cli-io.js';
import { openLogTarget, withLogTarget, type LogTargetOptions } from '../log-target.js';
import { renderChain } from '../render-chain.js';

export function getCommand(io: CliIo): Command {
  return withLogTarget(
    new Command('get')
      .description("print a decision's chain: decision, actions, outcomes, annotations")
      .argument('<id>', 'decision id')
      .option('--json', 'print the chain as JSON, as GET /v1/decisions/{id} answers it'),
  ).action(async (id: string, options: LogTargetOptions & { json?: boolean }) => {
    const client = await openLogTarget(options, io.env, 'read');
    try {
      const chain = await client.decisionChain(id).catch((error: unknown) => {
        throw pointToDecision(error, id);
      });
      io.stdout.write(options.json ? `${jsonText(JSON.parse(chain), '  ')}\n` : renderChain(chain));
    } finally {
      await client.close();
    }
  });
}

/**
 * The error of `get` for the id of an action, outcome or annotation: which decision's chain
 * holds it, and the command that prints that chain. Any other error as it is.
 */
function pointToDecision(error: unknown, id: string): unknown {
  if (!isDeclogError(error) || error.code !== 'not_found') return error;
  for (const detail of error.details) {
    const linked = /^is (an? \w+) of decision "([^"]+)"$/.exec(detail.message);
    if (detail.path !== 'id' || !linked) continue;
    const [, what = '', decision = ''] = linked;
    return new DeclogError(
      'not_found',
      `${id} is ${what} of decision ${decision}, not a decision; see \`declog get ${decision}\``,
      [],
      { cause: error },
    );
  }
  return error;
}
