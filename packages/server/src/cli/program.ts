import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { analyzeCommand } from './commands/analyze-command.js';
import { modelsCommand } from './commands/models-command.js';
import { bundleCommand } from './commands/bundle-command.js';
import { copyCommand } from './commands/copy-command.js';
import { eraseCommand } from './commands/erase-command.js';
import { getCommand } from './commands/get-command.js';
import { holdsCommand } from './commands/holds-command.js';
import { retentionCommand } from './commands/retention-command.js';
import { ingestCommand } from './commands/ingest-command.js';
import { keysCommand } from './commands/keys-command.js';
import { masterKeyCommand } from './commands/master-key-command.js';
import { migrateCommand } from './commands/migrate-command.js';
import { queryCommand } from './commands/query-command.js';
import { securityLogCommand } from './commands/security-log-command.js';
import { serveCommand } from './commands/serve-command.js';
import { verifyCommand } from './commands/verify-command.js';

export const VERSION = '0.1.0';

/** The `declog` command line; it never exits the process itself (see bin/declog.ts). */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('declog')
    .description('declog: a tamper-evident ledger for model-backed decisions')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  for (const command of [
    serveCommand(io),
    ingestCommand(io, setExitCode),
    getCommand(io),
    queryCommand(io),
    verifyCommand(io, setExitCode),
    bundleCommand(io),
    migrateCommand(io),
    copyCommand(io, setExitCode),
    keysCommand(io),
    eraseCommand(io),
    holdsCommand(io),
    retentionCommand(io),
    masterKeyCommand(io),
    securityLogCommand(io),
    modelsCommand(io),
    analyzeCommand(io),
  ]) {
    program.addCommand(command);
  }
  // Subcommands built apart do not inherit these settings: give them to every level.
  const inherit = (command: Command) => {
    command.exitOverride().configureOutput(program.configureOutput());
    command.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}
