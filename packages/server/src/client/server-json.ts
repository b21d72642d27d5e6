import { errorFromResponse } from './error-from-response.js';
import { serverRequester, type ServerOptions } from './server-requester.js';

/**
 * Sends requests to a declog server and reads each answer as JSON; an error answer is thrown
 * as the error it stands for (its code, message and details).
 */
export function serverJson(
  options: ServerOptions,
): <T>(path: string, init?: RequestInit) => Promise<T> {
  const send = serverRequester(options);
  return async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const answer = await send(path, init);
    if (!answer.ok) throw errorFromResponse(answer.status, answer.body);
    return JSON.parse(answer.body) as T;
  };
}
