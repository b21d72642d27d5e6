import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io.js';

/**
 * A progress bar on standard error, started at 0 of `total`, for commands run on a terminal:
 * `LABEL [====] 42% | 420/1000 UNIT | eta 3s`.
 */
export function progressBar(io: CliIo, label: string, unit: string, total: number): SingleBar {
  const bar = new SingleBar(
    {
      stream: io.stderr as NodeJS.WritableStream as never,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | eta {eta}s`,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}
