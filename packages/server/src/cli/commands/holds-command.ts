import { Command, Option } from 'commander';
import type { HoldKind } from '@declog/core';
import type { CliIo } from '../cli-io.js';
import {
  openPrivacyAdmin,
  withPrivacyTarget,
  type PrivacyTargetFlags,
} from '../privacy-admin-target.js';
import { renderHoldTable, renderPlacedHold, renderReleasedHold } from '../render-holds.js';

const HOLD_KINDS: readonly HoldKind[] = ['subject', 'decision', 'model'];

interface PlaceOptions extends PrivacyTargetFlags {
  readonly kind: HoldKind;
  readonly target: string;
  readonly reason: string;
}

interface ListOptions extends PrivacyTargetFlags {
  readonly standing?: boolean;
}

/** `declog holds place|list|release`: legal holds, on a server or directly on its database. */
export function holdsCommand(io: CliIo): Command {
  const holds = new Command('holds').description(
    'place, list and release legal holds, which stop the erasure of what they cover, on a ' +
      'server (--url, with an admin key) or directly on the database (--db or --store)',
  );
  holds.addCommand(
    withPrivacyTarget(
      new Command('place')
        .description('place a hold on a subject, a decision or a model')
        .addOption(
          new Option('--kind <kind>', 'what the hold covers')
            .choices(HOLD_KINDS)
            .makeOptionMandatory(),
        )
        .requiredOption('--target <id>', 'the subject id, decision id or model name')
        .requiredOption('--reason <text>', 'why, such as the case or request it preserves'),
    ).action(async (options: PlaceOptions) => {
      const admin = await openPrivacyAdmin(options, io.env, 'write');
      try {
        const { kind, target, reason } = options;
        const hold = await admin.placeHold({ kind, target, reason });
        io.stdout.write(options.json ? `${JSON.stringify(hold)}\n` : renderPlacedHold(hold));
      } finally {
        await admin.close();
      }
    }),
  );
  holds.addCommand(
    withPrivacyTarget(
      new Command('list')
        .description("the tenant's holds in the order placed, released ones included")
        .option('--standing', 'only the holds not released'),
    ).action(async (options: ListOptions) => {
      const admin = await openPrivacyAdmin(options, io.env, 'read');
      try {
        const list = await admin.holds({ standing: options.standing === true });
        io.stdout.write(
          options.json ? `${JSON.stringify({ holds: list })}\n` : renderHoldTable(list),
        );
      } finally {
        await admin.close();
      }
    }),
  );
  holds.addCommand(
    withPrivacyTarget(
      new Command('release')
        .description('release a standing hold: what it covered may be erased again')
        .argument('<id>', 'the hold id (as holds list shows it)'),
    ).action(async (id: string, options: PrivacyTargetFlags) => {
      const admin = await openPrivacyAdmin(options, io.env, 'write');
      try {
        const hold = await admin.releaseHold(id);
        io.stdout.write(options.json ? `${JSON.stringify(hold)}\n` : renderReleasedHold(hold));
      } finally {
        await admin.close();
      }
    }),
  );
  return holds;
}
