export interface ServerOptions {
  readonly url: string;
  readonly apiKey?: string | undefined;
  /** Sent as `X-Declog-Tenant`: the tenant a key of all tenants acts on (default `default`). */
  readonly tenant?: string | undefined;
  readonly fetch?: typeof fetch;
}

export interface ServerAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly body: string;
}

/**
 * Sends requests to a declog server: the base URL, the API key, the tenant and an unreachable
 * server are handled here; what an answer means is the caller's business.
 */
export function serverRequester(
  options: ServerOptions,
): (path: string, init?: RequestInit) => Promise<ServerAnswer> {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const auth: Record<string, string> = {
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...(options.tenant !== undefined ? { 'x-declog-tenant': options.tenant } : {}),
  };
  return async (path, init = {}) => {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string> | undefined) },
      });
    } catch (error) {
      const cause = (error as Error).cause ?? (error as Error).message;
      throw new Error(`cannot reach ${base}: ${String(cause)}`, { cause: error });
    }
    return { status: response.status, ok: response.ok, body: await response.text() };
  };
}
