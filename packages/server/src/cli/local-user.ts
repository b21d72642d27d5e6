/** The login name of whoever runs the CLI, for the access trail of changes made on a database. */
export function localUser(env: Readonly<Record<string, string | undefined>>): string {
  return env['USER'] ?? env['LOGNAME'] ?? env['USERNAME'] ?? 'operator';
}
