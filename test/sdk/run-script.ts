import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild } from '../helpers/child-processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from start to exit. */
  readonly ms: number;
}

/**
 * Runs an ES module given as text in a fresh node process in the repository's root (or `cwd`),
 * where `@declog/sdk` resolves to the built package, as it would in a user's project.
 */
export async function runScript(
  source: string,
  env: Record<string, string> = {},
  options: { readonly cwd?: string; readonly nodeArgs?: readonly string[] } = {},
): Promise<ScriptResult> {
  const started = Date.now();
  const args = [...(options.nodeArgs ?? []), '--input-type=module', '-e', source];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const { code } = await exited;
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** The JSON a script printed on its last line. */
export function lastJson<T>(result: ScriptResult): T {
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `the script printed no JSON (exit ${result.code})\n${result.stdout}\n${result.stderr}`,
    );
  }
}
