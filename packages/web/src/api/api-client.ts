import type { Session } from './session';

/** An answer of the API in its error shape, or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { readonly path?: string; readonly message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The route is not on this server (an older declog, or a feature not built yet). */
  get unavailable(): boolean {
    return this.status === 404 && this.code === 'route_not_found';
  }
}

export type QueryParams = URLSearchParams | Readonly<Record<string, string | undefined>>;

/** The dashboard's only way to the server: the public API, with the session's key. */
export interface Api {
  json<T>(path: string, params?: QueryParams): Promise<T>;
  text(path: string, params?: QueryParams): Promise<string>;
  post<T>(path: string, body: unknown): Promise<T>;
}

export function createApi(session: Session, fetchFn: typeof fetch = fetch.bind(globalThis)): Api {
  const headers = (): Record<string, string> => ({
    Authorization: `Bearer ${session.key}`,
    ...(session.tenant !== null ? { 'X-Declog-Tenant': session.tenant } : {}),
    ...(session.purpose !== null ? { 'X-Declog-Purpose': session.purpose } : {}),
  });
  const send = async (path: string, init: RequestInit, params?: QueryParams) => {
    let response: Response;
    try {
      response = await fetchFn(withParams(path, params), {
        ...init,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiError(0, 'network', `the server could not be reached (${String(error)})`);
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  };
  return {
    async json<T>(path: string, params?: QueryParams) {
      const response = await send(path, { headers: headers() }, params);
      return (await response.json()) as T;
    },
    async text(path: string, params?: QueryParams) {
      return (await send(path, { headers: headers() }, params)).text();
    },
    async post<T>(path: string, body: unknown) {
      const response = await send(path, {
        method: 'POST',
        headers: { ...headers(), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as T;
    },
  };
}

function withParams(path: string, params?: QueryParams): string {
  if (params === undefined) return path;
  const search = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? params.entries() : Object.entries(params);
  for (const [name, value] of entries)
    if (value !== undefined && value !== '') search.append(name, value);
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: { path?: string; message: string }[] };
    };
    if (body.error?.code !== undefined) {
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message ?? body.error.code,
        body.error.details ?? [],
      );
    }
  } catch {
    // not the API's error shape
  }
  return new ApiError(response.status, 'http', `the server answered ${response.status}`);
}
