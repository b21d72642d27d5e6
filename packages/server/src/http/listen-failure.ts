/**
 * Why a server could not listen on `host:port`, in one line that says what to do, for the
 * errors Node gives when binding; any other error is returned as it is.
 */
export function listenFailure(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = `cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new Error(
        `${where}: the address is in use (another server?); choose another --port or stop the other server`,
        { cause: error },
      );
    case 'EACCES':
      return new Error(
        `${where}: permission denied (ports below 1024 need privileges); choose another --port`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new Error(`${where}: this machine has no such address; check --host`, {
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Error(`${where}: the host name does not resolve; check --host`, {
        cause: error,
      });
    default:
      return error;
  }
}
