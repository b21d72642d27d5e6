import { ApiError } from '../api/api-client';

/** A failed request in words; a route this server lacks is said plainly, not as an error. */
export function ErrorNotice({ error, what }: { readonly error: Error; readonly what?: string }) {
  if (error instanceof ApiError && error.unavailable) {
    return (
      <p class="notice" role="status">
        {what ?? 'This'} is not available on this server (it answers 404 for the route).
      </p>
    );
  }
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div class="notice error" role="alert">
      <p>
        {what ? `${what}: ` : ''}
        {error.message}
        {error instanceof ApiError && error.code !== 'http' ? ` (${error.code})` : ''}
      </p>
      {details.length > 0 && (
        <ul>
          {details.map((detail, i) => (
            <li key={i}>
              {detail.path ? <code>{detail.path}</code> : null} {detail.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}
