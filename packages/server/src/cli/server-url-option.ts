import { InvalidArgumentError } from 'commander';

/**
 * Parses `--url`: an http:// or https:// URL of a declog server. Refused here, in one line,
 * rather than by fetch at the first request (`TypeError: Invalid URL`, or `127.0.0.1:7300`
 * read as a URL whose scheme is `127.0.0.1:`).
 */
export function parseServerUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidArgumentError(
      `must be an http:// or https:// URL, e.g. http://${value.replace(/^[a-z]+:\/\//i, '')}`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new InvalidArgumentError('must be the server address alone, without ?query or #fragment');
  }
  return value;
}
