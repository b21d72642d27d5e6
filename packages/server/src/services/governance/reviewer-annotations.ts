import { DeclogError, type ErrorDetail } from '../../errors.js';
import type { Principal } from './principal.js';

/**
 * The events of a reviewer's request, checked to be annotations by the reviewer: each one's
 * `author` is set to the key's principal, and a request naming another author, or holding
 * anything but annotations, is refused whole.
 */
export function reviewerAnnotations(events: readonly unknown[], principal: Principal): unknown[] {
  const refused: ErrorDetail[] = [];
  const authored = events.map((value, index) => {
    const event = value as { type?: unknown; annotation?: unknown };
    if (typeof value !== 'object' || value === null || event.type !== 'annotation') {
      refused.push({
        index,
        path: 'type',
        message:
          'a reviewer key cannot post decisions, actions or outcomes (producer or admin can); it may post annotations',
      });
      return value;
    }
    const annotation = event.annotation;
    if (typeof annotation !== 'object' || annotation === null || Array.isArray(annotation)) {
      return value; // the contract check names what is wrong
    }
    const author = (annotation as { author?: unknown }).author;
    if (author !== undefined && author !== principal.name) {
      refused.push({
        index,
        path: 'annotation.author',
        message: `must be this key's principal ${JSON.stringify(principal.name)} or absent`,
      });
      return value;
    }
    return { ...event, annotation: { ...annotation, author: principal.name } };
  });
  if (refused.length > 0) {
    throw new DeclogError(
      'forbidden',
      'a reviewer may only add annotations under its own name',
      refused,
    );
  }
  return authored;
}
