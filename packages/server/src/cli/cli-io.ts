/** The process as commands see it; only bin/declog.ts builds one from the real process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks the process to stop (Ctrl-C, SIGTERM). */
  readonly stopSignal: Promise<string>;
}
