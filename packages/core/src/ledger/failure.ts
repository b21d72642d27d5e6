/**
 * Why a check failed. Verifiers return this instead of throwing because bad input is
 * the expected case for them: `code` is stable for programs, `reason` is for people.
 */
export interface Failure<Code extends string> {
  readonly ok: false;
  readonly code: Code;
  readonly reason: string;
}

/** Builds a {@link Failure}. */
export function failure<Code extends string>(code: Code, reason: string): Failure<Code> {
  return { ok: false, code, reason };
}
