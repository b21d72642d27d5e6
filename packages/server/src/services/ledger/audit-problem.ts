/**
 * What an audit found wrong, as a value: `code` is stable for programs, `reason` is for
 * people. `seq` is the first entry implicated; `seqRange` (inclusive) is given when the
 * evidence narrows the problem to a range of entries but not to one of them.
 */
export interface AuditProblem<Code extends string = string> {
  readonly code: Code;
  readonly reason: string;
  readonly seq?: number;
  readonly seqRange?: readonly [first: number, last: number];
  /** The tree size of the checkpoint involved, when one is. */
  readonly checkpointSize?: number;
}

/** Builds an {@link AuditProblem}, leaving out the fields that are not given. */
export function auditProblem<Code extends string>(
  code: Code,
  reason: string,
  where: {
    readonly seq?: number;
    readonly seqRange?: readonly [number, number];
    readonly checkpointSize?: number;
  } = {},
): AuditProblem<Code> {
  return { code, reason, ...where };
}
