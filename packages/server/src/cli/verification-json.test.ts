import { describe, expect, it } from 'vitest';
import { auditProblem } from '../services/ledger/audit-problem.js';
import { problemJson } from './verification-json.js';

describe('problemJson', () => {
  it('gives the code and reason, and where the problem is only when that is known', () => {
    expect(problemJson(auditProblem('bad-signature', 'no'))).toEqual({
      code: 'bad-signature',
      reason: 'no',
    });
    expect(
      problemJson(
        auditProblem('root-mismatch', 'differs', {
          seq: 120,
          seqRange: [120, 219],
          checkpointSize: 220,
        }),
      ),
    ).toEqual({
      code: 'root-mismatch',
      reason: 'differs',
      seq: 120,
      seq_range: [120, 219],
      checkpoint_size: 220,
    });
  });
});
