import { existsSync, linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * The text of a secret file (a key), which must be readable by its owner only; created with
 * `create()` (mode 0600) when it does not exist and `mayCreate` allows. `what` names the
 * secret in errors, which never quote its text.
 */
export function readOrCreateSecretFile(
  file: string,
  what: string,
  create: (() => string) | null,
): string {
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o077;
    if (mode !== 0) {
      throw new Error(
        `${what} ${file} is readable by others (mode ${mode.toString(8)}); chmod 600 it`,
      );
    }
    return readFileSync(file, 'utf8').trim();
  }
  if (create === null) throw new Error(`no ${what} file at ${file}`);
  const text = create();
  // Written aside and linked into place, so that servers starting together on one fresh
  // database never see half a key: one link wins, the others read the winner's key.
  const draft = `${file}.${process.pid}.draft`;
  writeFileSync(draft, `${text}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  } finally {
    unlinkSync(draft);
  }
  return text;
}
