import { Command } from 'commander';
import { jsonText } from '@declog/core';
import type { CliIo } from '../cli-io.js';
import { openLogTarget, withLogTarget, type LogTargetOptions } from '../log-target.js';
import { renderChain } from '../render-chain.js';

export function getCommand(io: CliIo): Command {
  return withLogTarget(
    new Command('get')
      .description("print a decision's chain: decision, actions, outcomes, annotations")
      .argument('<id>', 'decision id')
      .option('--json', 'print the chain as JSON (the default when not on a terminal)'),
  ).action(async (id: string, options: LogTargetOptions & { json?: boolean }) => {
    const client = await openLogTarget(options, io.env, 'read');
    try {
      const chain = await client.decisionChain(id);
      const asJson = options.json === true || !io.stdout.isTTY;
      io.stdout.write(asJson ? `${jsonText(JSON.parse(chain), '  ')}\n` : renderChain(chain));
    } finally {
      await client.close();
    }
  });
}
