import { isDeclogError } from '../errors.js';

/** An error as the CLI shows it: the message, then each bad field on its own line. */
export function renderError(error: unknown): string {
  if (!isDeclogError(error)) return `declog: ${(error as Error).message ?? String(error)}\n`;
  const details = error.details.map((d) => {
    const where = [d.index !== undefined ? `event ${d.index}` : '', d.path]
      .filter(Boolean)
      .join(' ');
    return `  ${where ? `${where}: ` : ''}${d.message}`;
  });
  return `declog: ${error.message} [${error.code}]\n${details.map((d) => `${d}\n`).join('')}`;
}
