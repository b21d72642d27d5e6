import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { DeclogError } from '../../errors.js';
import { openClient, using, withTarget, type TargetOptions } from '../analytics-target.js';
import type { CliIo } from '../cli-io.js';
import { renderModels } from '../render-analysis.js';

/** `declog models list|show|declare`: the model inventory. */
export function modelsCommand(io: CliIo): Command {
  const models = new Command('models').description(
    'the model inventory: every model version declared or in the log, and declarations',
  );
  models.addCommand(
    withTarget(
      new Command('list').description('every model version, declared or not, with its use'),
    ).action(async (options: TargetOptions) => {
      const answer = await using(await openClient(options, io, false), (c) => c.models());
      io.stdout.write(options.json ? `${JSON.stringify(answer)}\n` : renderModels(answer));
    }),
  );
  models.addCommand(
    withTarget(
      new Command('show')
        .description("a model version's declaration, every revision of it, and its use")
        .argument('<name>', 'the model name')
        .argument('<version>', 'the model version'),
    ).action(async (name: string, version: string, options: TargetOptions) => {
      const answer = await using(await openClient(options, io, false), (c) =>
        c.model(name, version),
      );
      io.stdout.write(`${JSON.stringify(answer, null, options.json ? undefined : 2)}\n`);
    }),
  );
  models.addCommand(
    withTarget(
      new Command('declare')
        .description(
          'declare model versions from a JSON file: {"name", "version", ...declaration} or a list of them; ' +
            'other content than the revision in force makes a new revision',
        )
        .argument('<file>', 'the JSON file (- for standard input)'),
    ).action(async (file: string, options: TargetOptions) => {
      const text = file === '-' ? await readStream(io.stdin) : await readFile(file, 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new DeclogError('invalid_json', `${file} is not JSON: ${(error as Error).message}`);
      }
      const entries = Array.isArray(parsed) ? parsed : [parsed];
      const results = await using(await openClient(options, io, true), async (c) => {
        const out: unknown[] = [];
        for (const [index, entry] of entries.entries()) {
          const { name, version, ...declaration } = (entry ?? {}) as Record<string, unknown>;
          if (typeof name !== 'string' || typeof version !== 'string') {
            throw new DeclogError(
              'invalid_body',
              `declaration ${index} needs "name" and "version" as text`,
              [{ path: `${index}.name`, message: 'name and version are required text' }],
            );
          }
          out.push(await c.declare(name, version, declaration));
        }
        return out;
      });
      if (options.json) io.stdout.write(`${JSON.stringify(results)}\n`);
      else {
        for (const r of results as {
          name: string;
          version: string;
          created: boolean;
          current: { revision: number };
        }[]) {
          io.stdout.write(
            `${r.name} ${r.version}: ${r.created ? 'declared' : 'unchanged'}, revision ${r.current.revision}\n`,
          );
        }
      }
    }),
  );
  return models;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
