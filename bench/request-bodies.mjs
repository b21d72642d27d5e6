import { decisionEvent } from './decision-event.mjs';

/**
 * Serialised `POST /v1/events` bodies for batches `first` .. `first + batches - 1` of a
 * `count`-decision history, `batchSize` decisions each (the last batch may be shorter).
 */
export function requestBodies({ first, batches, batchSize, count }) {
  const bodies = [];
  for (let batch = first; batch < first + batches; batch += 1) {
    const start = batch * batchSize;
    const end = Math.min(start + batchSize, count);
    if (start >= end) break;
    const events = [];
    for (let index = start; index < end; index += 1) events.push(decisionEvent(index, count));
    bodies.push({ text: JSON.stringify({ events }), events: end - start });
  }
  return bodies;
}
