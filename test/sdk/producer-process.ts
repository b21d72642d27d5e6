import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild, type ExitStatus } from '../helpers/child-processes.js';

const PRODUCER = fileURLToPath(new URL('./producer.mjs', import.meta.url));

export interface ProducerConfig {
  /** A server, or none in embedded mode (`options.db`). */
  readonly url?: string;
  readonly apiKey?: string;
  readonly count: number;
  readonly prefix: string;
  readonly flushEvery?: number;
  readonly paceEvery?: number;
  readonly paceMs?: number;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Event i happened at a set time: a rerun logs the same content, not only the same ids. */
  readonly fixedTimes?: boolean;
}

export interface ReportedError {
  readonly code: string;
  readonly eventIds: readonly string[];
  readonly message: string;
}

/** A running `test/sdk/producer.mjs`: a user's process importing the built SDK. */
export interface ProducerProcess {
  readonly exited: Promise<ExitStatus>;
  /** The highest N of the `durable N` lines printed so far. */
  durable(): number;
  errors(): ReportedError[];
  stats(): Record<string, number> | undefined;
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

export function startProducer(config: ProducerConfig): ProducerProcess {
  const child = spawn(process.execPath, [PRODUCER, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = (prefix: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith(prefix))
      .map((line) => line.slice(prefix.length));
  return {
    exited,
    durable: () => Math.max(0, ...lines('durable ').map(Number)),
    errors: () => lines('error ').map((line) => JSON.parse(line) as ReportedError),
    stats: () => {
      const line = lines('stats ').at(-1);
      return line === undefined ? undefined : (JSON.parse(line) as Record<string, number>);
    },
    output: () => `stdout:\n${stdout.slice(-4000)}\nstderr:\n${stderr.slice(-4000)}`,
    kill: (signal) => child.kill(signal),
  };
}

/** Runs a producer to its end and fails with its output unless it exits 0. */
export async function runProducer(config: ProducerConfig): Promise<ProducerProcess> {
  const producer = startProducer(config);
  const status = await producer.exited;
  if (status.code !== 0)
    throw new Error(`the producer exited ${status.code ?? status.signal}\n${producer.output()}`);
  return producer;
}
