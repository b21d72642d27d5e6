import { Argument, Command } from 'commander';
import {
  ANALYSES,
  ANALYSIS_NAMES,
  type AnalysisName,
} from '../../services/analytics/run-analysis.js';
import { openClient, using, withTarget, type TargetOptions } from '../analytics-target.js';
import type { CliIo } from '../cli-io.js';
import { renderAnalysis } from '../render-analysis.js';

/** Every analysis parameter, as a flag: `reference_from` is `--reference-from`. */
const PARAMS = [...new Set(ANALYSIS_NAMES.flatMap((name) => ANALYSES[name].params))];
// `version` is --model-version (as in `declog query`): --version prints declog's own.
const flagOf = (param: string) =>
  param === 'version' ? 'model-version' : param.replace(/_/g, '-');
const optionKeyOf = (param: string) =>
  flagOf(param).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** `declog analyze NAME`: an analysis of the log (docs/analytics.md), as a table or JSON. */
export function analyzeCommand(io: CliIo): Command {
  const command = withTarget(
    new Command('analyze')
      .description(
        'analyse the log: data quality, drift, realised performance, fairness or rate anomalies ' +
          '(docs/analytics.md), from a server (--url) or directly from the database',
      )
      .addArgument(new Argument('<analysis>', 'which analysis').choices(ANALYSIS_NAMES)),
  );
  for (const param of PARAMS) {
    const takers = ANALYSIS_NAMES.filter((name) =>
      (ANALYSES[name].params as readonly string[]).includes(param),
    );
    command.option(`--${flagOf(param)} <value>`, `the ${param} parameter (${takers.join(', ')})`);
  }
  return command.action(async (name: AnalysisName, options: TargetOptions) => {
    const params = new URLSearchParams();
    for (const param of PARAMS) {
      const value = (options as unknown as Record<string, string | undefined>)[optionKeyOf(param)];
      if (value !== undefined) params.set(param, value);
    }
    const answer = await using(await openClient(options, io, false), (c) =>
      c.analysis(name, params),
    );
    io.stdout.write(options.json ? `${JSON.stringify(answer)}\n` : renderAnalysis(name, answer));
  });
}
