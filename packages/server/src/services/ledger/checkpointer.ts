import { isDeclogError } from '../../errors.js';
import { issueCheckpoint, type CheckpointDeps } from './issue-checkpoint.js';

export interface CheckpointerOptions {
  readonly intervalMs: number;
  /** Unexpected failures: bugs, not outages. */
  readonly logError: (error: unknown) => void;
  /** When the store becomes unavailable (once per outage), and when it is back. */
  readonly logNotice: (message: string) => void;
}

export interface Checkpointer {
  /** Stops the timer and waits for a checkpoint in progress. */
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint every `intervalMs` for each of `logs()` that has grown. A run never starts while
 * the previous one is still waiting on a slow store, and a store outage is reported once when
 * it begins and once when it ends, not at every tick.
 */
export function startCheckpointer(
  logs: () => readonly CheckpointDeps[],
  options: CheckpointerOptions,
): Checkpointer {
  let running: Promise<void> | null = null;
  let outage = false;
  const run = async () => {
    try {
      for (const deps of logs()) await issueCheckpoint(deps);
      if (outage) options.logNotice('store available again, checkpoints resumed');
      outage = false;
    } catch (error) {
      if (!isDeclogError(error) || error.code !== 'store_unavailable')
        return options.logError(error);
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      if (!outage) options.logNotice(`store unavailable, checkpoints paused (${cause})`);
      outage = true;
    }
  };
  const timer = setInterval(() => {
    running ??= run().finally(() => (running = null));
  }, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
