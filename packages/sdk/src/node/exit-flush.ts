/**
 * Closes the log on Node's `beforeExit` (the event loop has nothing left to do), so a script
 * that forgets `await log.close()` still delivers or spools its events; close's own timeout
 * bounds the wait. Returns a function that removes the hook.
 */
export function flushBeforeExit(close: () => Promise<void>): () => void {
  const onBeforeExit = () => {
    void close();
  };
  process.once('beforeExit', onBeforeExit);
  return () => {
    process.off('beforeExit', onBeforeExit);
  };
}
