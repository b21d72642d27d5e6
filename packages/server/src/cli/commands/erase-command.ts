import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import {
  openPrivacyAdmin,
  withPrivacyTarget,
  type PrivacyTargetFlags,
} from '../privacy-admin-target.js';
import { renderErasure } from '../render-erasure.js';

/** `declog erase SUBJECT`: a data subject's personal data, on a server or its database. */
export function eraseCommand(io: CliIo): Command {
  return withPrivacyTarget(
    new Command('erase')
      .description(
        "erase a data subject's personal data: destroy its key and shred its sealed records, " +
          'on a server (--url, with an admin key) or directly on the database (--db or --store); ' +
          'refused while a legal hold covers the subject',
      )
      .argument('<subject>', 'the subject id, as events name it in subject.id')
      .option(
        '--force',
        'erase a subject the tenant does not know yet (no key, no decision), ahead of its ' +
          'events: they are then erased on arrival. Without it, an unknown subject is refused',
      ),
  ).action(async (subject: string, options: PrivacyTargetFlags & { force?: boolean }) => {
    const admin = await openPrivacyAdmin(options, io.env, 'write');
    try {
      const erasure = await admin.erase(subject, { force: options.force ?? false });
      io.stdout.write(
        options.json
          ? `${JSON.stringify(erasure)}\n`
          : renderErasure(erasure, options.force ?? false),
      );
    } finally {
      await admin.close();
    }
  });
}
