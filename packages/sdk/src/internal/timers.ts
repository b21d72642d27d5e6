/** Timers that never keep a process alive on their own, unless asked to. */
export interface Timers {
  /** `keepAlive`: hold the process open until it fires (a caller awaits it). */
  set(callback: () => void, ms: number, keepAlive?: boolean): unknown;
  clear(handle: unknown): void;
}

/** The runtime's timers, unreferenced: Node's `unref()`, Deno's `Deno.unrefTimer`. */
export const unrefTimers: Timers = {
  set(callback, ms, keepAlive = false) {
    const handle: unknown = setTimeout(callback, Math.min(ms, 2 ** 31 - 1));
    if (keepAlive) return handle;
    if (typeof handle === 'object' && handle !== null && 'unref' in handle) {
      (handle as { unref(): void }).unref();
    } else {
      (globalThis as { Deno?: { unrefTimer?(id: unknown): void } }).Deno?.unrefTimer?.(handle);
    }
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  },
};
