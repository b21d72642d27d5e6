import { DeclogError, isDeclogError, type ErrorCode, type ErrorDetail } from '../errors.js';
import type { WriterFailure } from './writer-protocol.js';

/** An error as it can cross to another thread. */
export function failureOf(error: unknown): WriterFailure {
  if (isDeclogError(error)) {
    return { name: error.name, message: error.message, code: error.code, details: error.details };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The error a failure stands for, thrown again on this side. */
export function errorOf(failure: WriterFailure): Error {
  if (failure.code !== undefined) {
    return new DeclogError(
      failure.code as ErrorCode,
      failure.message,
      (failure.details ?? []) as ErrorDetail[],
    );
  }
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}
