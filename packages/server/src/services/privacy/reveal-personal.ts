import {
  erasedView,
  jsonText,
  openedView,
  type EventStore,
  type EventType,
  type PersonalCommitment,
  type StoredRow,
} from '@declog/core';
import { DeclogError } from '../../errors.js';
import { storeInconsistent } from '../stored-row-guards.js';
import type { SubjectKeys } from './subject-keys.js';

/** Turns stored rows into the JSON texts readers see; the identity when nothing is sealed. */
export type RevealRows = (rows: readonly StoredRow[]) => Promise<readonly string[]>;

type Sealed = { id: string; type: EventType; personal: PersonalCommitment };

/**
 * The reader's view of stored events: sealed personal values opened and put back in place,
 * with `personal` saying they were sealed; or, once the subject was erased (or the record
 * shredded), the event as the leaf holds it with `personal` saying when and by whom.
 */
export function revealPersonal(store: EventStore, tenant: string, keys: SubjectKeys): RevealRows {
  return async (rows) => {
    const sealedRows = rows.filter((row) => row.json.includes('"personal":{'));
    if (sealedRows.length === 0) return rows.map((row) => row.json);
    const events = new Map<number, Sealed>();
    for (const row of sealedRows) events.set(row.seq, JSON.parse(row.json) as Sealed);
    const records = await store.personalData([...events.values()].map((e) => e.id));
    // Every subject's key once for the whole page: one lookup, one unwrap each.
    const subjects = [...events.values()].flatMap((event) => {
      const subject =
        records.get(event.id)?.subject ?? (event as { subject?: { id?: string } }).subject?.id;
      return subject === undefined ? [] : [subject];
    });
    const keyStates = await keys.existingKeys(tenant, subjects);
    const out: string[] = [];
    for (const row of rows) {
      const event = events.get(row.seq);
      if (!event) {
        out.push(row.json);
        continue;
      }
      const subject = (event as { subject?: { id?: string } }).subject?.id;
      const record = records.get(event.id);
      if (!record) {
        // Sealed under a thrown-away key: the subject was erased before the event arrived.
        const key = subject === undefined ? null : (keyStates.get(subject) ?? null);
        if (key && !key.ok) {
          out.push(jsonText(erasedView(event, key.erasure)));
          continue;
        }
        // Pruned by retention since the event was read: gone with its record.
        const pruned = await store.prunedById(event.id);
        if (pruned) {
          throw new DeclogError(
            'pruned',
            `the ${pruned.type} "${event.id}" was pruned by retention`,
          );
        }
        // Served as it stands, the event would read as one that never had personal values.
        throw storeInconsistent(row.seq, 'its sealed record is missing, its subject not erased');
      }
      if (record.subject !== subject) {
        throw storeInconsistent(row.seq, 'its sealed record is filed under another subject');
      }
      if (record.sealed === null) {
        if (record.shreddedAt === null || record.shreddedBy === null) {
          throw storeInconsistent(row.seq, 'its sealed record was emptied without a shredding');
        }
        const view = erasedView(event, {
          erased_at: record.shreddedAt,
          erased_by: record.shreddedBy,
        });
        out.push(jsonText(view));
        continue;
      }
      const key = keyStates.get(record.subject) ?? null;
      if (!key) throw storeInconsistent(row.seq, "its sealed record's subject has no key");
      if (!key.ok) {
        out.push(jsonText(erasedView(event, key.erasure)));
        continue;
      }
      const sealed =
        typeof record.sealed === 'string' ? parsedRecord(record.sealed) : record.sealed;
      const opened = openedView(event, sealed, key.key);
      if (!opened.ok) {
        throw storeInconsistent(
          row.seq,
          `its sealed record does not open against its commitment (${opened.code})`,
        );
      }
      out.push(jsonText(opened.view));
    }
    return out;
  };
}

/** A record kept as text, parsed; text that is not JSON is left for opening to refuse. */
function parsedRecord(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
