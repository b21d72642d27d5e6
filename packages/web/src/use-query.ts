import { useSearch } from 'wouter-preact';

/**
 * The page's query string exactly as in the address bar (without `?`). The router's own
 * `useSearch` decodes it first, which turns a searched `%41` into `A`; this one only uses the
 * router to learn when it changed.
 */
export function useQuery(): string {
  useSearch();
  return location.search.slice(1);
}

/**
 * The rest of the path after `prefix`, decoded once: a model name may hold `/`, `?` or `%`,
 * which the router's parameters leave half-decoded.
 */
export function pathTail(prefix: string): string {
  const raw = location.pathname.slice(prefix.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
