import type { RotationSummary } from '../services/privacy/rotate-master-key.js';

/** A finished rotation: what moved, then what the operator does next. */
export function renderRotation(summary: RotationSummary): string {
  const verb = summary.resumed ? 'finished the rotation' : 'rotated the master key';
  return (
    `${verb} from ${summary.from} to ${summary.to}: ` +
    `${summary.rewrapped} subject key(s) rewrapped, ${summary.already_done} already done, ` +
    `${summary.erased_skipped} erased subject(s) skipped; ` +
    `${summary.pseudonym_keys} pseudonym key(s) rewrapped\n` +
    `  master key ${summary.from} is refused from now on: start servers with the new key ` +
    '(--master-key FILE or $DECLOG_MASTER_KEY)\n' +
    '  keep the old key until every backup taken before now has expired, then destroy it\n'
  );
}
