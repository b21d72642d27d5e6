import { runCli, type CliResult } from './run-cli.js';

/** The facts `declog verify --store URL` printed about a log that passed. */
export interface StoreVerification {
  readonly size: number;
  /** base64 of the tree root. */
  readonly root: string;
  readonly checkpoints: number;
  readonly result: CliResult;
}

/**
 * Runs `declog verify --store URL` and reads its report; throws with the output unless it
 * passed (exit 0 and `ok N entries, root R`).
 */
export async function verifyStore(url: string): Promise<StoreVerification> {
  const result = await runCli(['verify', '--store', url], { timeoutMs: 60_000 });
  const ok = /^ok (\d+) entries, root (\S+)$/m.exec(result.stdout);
  if (result.code !== 0 || !ok) {
    throw new Error(`declog verify failed (${result.code}):\n${result.stdout}${result.stderr}`);
  }
  const checkpoints = /(\d+) signed checkpoint\(s\) checked/.exec(result.stdout);
  return {
    size: Number(ok[1]),
    root: ok[2] ?? '',
    checkpoints: Number(checkpoints?.[1] ?? 0),
    result,
  };
}
