import type { StoredRetentionPolicy } from '../services/retention/retention-policies.js';
import type { RetentionReport } from '../services/retention/run-retention.js';

/** `declog retention apply`: what was (or, dry, would be) shredded, pruned and held. */
export function renderRetentionReport(report: RetentionReport): string {
  if (report.policy === null) {
    return `tenant ${report.tenant} has no retention policy: nothing is removed by age\n`;
  }
  const dry = report.dry_run;
  const lines = [
    `retention of tenant ${report.tenant} as of ${report.as_of}` +
      (dry ? ' (dry run: nothing was changed)' : ''),
    `  ${dry ? 'personal data to shred' : 'personal data shredded'}: ` +
      `${report.shredded.decisions} decision(s)`,
    `  ${dry ? 'to prune' : 'pruned'}: ${report.pruned.decisions} decision chain(s) and ` +
      `${report.pruned.orphans} orphan(s), ${report.pruned.entries} entries in all (their leaf hashes stay)`,
  ];
  const held = report.held.decisions + report.held.orphans;
  if (held > 0) {
    lines.push(`  kept under legal hold: ${held}`);
    for (const item of report.held.items.slice(0, 20)) {
      lines.push(`    ${item.id}: would ${item.would}; hold(s) ${item.holds.join(', ')}`);
    }
    if (report.held.items.length > 20) lines.push(`    … (--json lists up to 1000)`);
  }
  return `${lines.join('\n')}\n`;
}

/** `declog retention policy`: the policy in force, with when and by whom it was set. */
export function renderRetentionPolicy(
  tenant: string,
  stored: StoredRetentionPolicy | null,
): string {
  if (stored === null) {
    return `tenant ${tenant} has no retention policy: everything is kept\n`;
  }
  return (
    `retention policy of tenant ${tenant}, set by ${stored.updated_by} at ${stored.updated_at}:\n` +
    `${JSON.stringify(stored.policy, null, 2)}\n`
  );
}
