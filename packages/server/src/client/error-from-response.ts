import { DeclogError, type ErrorCode, type ErrorDetail } from '../errors.js';

/** A server's error answer as the error it stands for: its code, message and details. */
export function errorFromResponse(status: number, text: string): Error {
  try {
    const { error } = JSON.parse(text) as {
      error: { code: string; message: string; details?: ErrorDetail[] };
    };
    return new DeclogError(error.code as ErrorCode, error.message, error.details ?? []);
  } catch {
    return new Error(`server answered ${status}: ${text.slice(0, 200)}`);
  }
}
