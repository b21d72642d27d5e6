import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { DEFAULT_TENANT } from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { CliIo } from '../cli-io.js';
import {
  openPrivacyAdmin,
  withPrivacyTarget,
  type PrivacyTargetFlags,
} from '../privacy-admin-target.js';
import { renderRetentionPolicy, renderRetentionReport } from '../render-retention.js';

interface PolicyOptions extends PrivacyTargetFlags {
  readonly set?: string;
  readonly clear?: boolean;
}

interface ApplyOptions extends PrivacyTargetFlags {
  readonly dryRun?: boolean;
}

/** `declog retention policy|apply`: retention, on a server or directly on its database. */
export function retentionCommand(io: CliIo): Command {
  const retention = new Command('retention').description(
    'how long personal data and records are kept, and applying that now, on a server ' +
      '(--url, with an admin key) or directly on the database (--db or --store); see docs/retention.md',
  );
  retention.addCommand(
    withPrivacyTarget(
      new Command('policy')
        .description("show the tenant's retention policy, or set or clear it")
        .option('--set <file>', 'set the policy from a JSON file (- for stdin)')
        .option('--clear', 'remove the policy: nothing is removed by age any more'),
    ).action(async (options: PolicyOptions) => {
      if (options.set !== undefined && options.clear) {
        throw new DeclogError('invalid_parameter', '--set and --clear exclude each other');
      }
      const changes = options.set !== undefined || options.clear === true;
      const admin = await openPrivacyAdmin(options, io.env, changes ? 'write' : 'read');
      try {
        const tenant = options.tenant ?? DEFAULT_TENANT;
        if (options.clear) {
          const removed = await admin.removeRetentionPolicy();
          io.stdout.write(
            options.json
              ? `${JSON.stringify({ removed })}\n`
              : removed
                ? `removed the retention policy of tenant ${tenant}\n`
                : `tenant ${tenant} had no retention policy\n`,
          );
          return;
        }
        const stored =
          options.set === undefined
            ? await admin.retentionPolicy()
            : await admin.setRetentionPolicy(await readPolicyFile(options.set, io));
        io.stdout.write(
          options.json
            ? `${JSON.stringify(stored ?? { policy: null, updated_at: null, updated_by: null })}\n`
            : renderRetentionPolicy(tenant, stored),
        );
      } finally {
        await admin.close();
      }
    }),
  );
  retention.addCommand(
    withPrivacyTarget(
      new Command('apply')
        .description(
          'shred personal data and prune records older than the policy allows, now; ' +
            'what a legal hold covers is kept and listed (a server also does this on a schedule)',
        )
        .option('--dry-run', 'only list what would go; change nothing'),
    ).action(async (options: ApplyOptions) => {
      const dryRun = options.dryRun === true;
      // A dry run on a database still records itself in the access trail: it opens for writing.
      const admin = await openPrivacyAdmin(options, io.env, 'write');
      try {
        const report = await admin.retention({ dryRun });
        io.stdout.write(
          options.json ? `${JSON.stringify(report)}\n` : renderRetentionReport(report),
        );
      } finally {
        await admin.close();
      }
    }),
  );
  return retention;
}

async function readPolicyFile(path: string, io: CliIo): Promise<unknown> {
  const text = path === '-' ? await readAll(io.stdin) : await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DeclogError(
      'invalid_json',
      `${path === '-' ? 'stdin' : path} is not JSON: ${(error as Error).message}`,
    );
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
