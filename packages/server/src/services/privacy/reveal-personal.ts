import {
  erasedView,
  jsonText,
  openedView,
  type EventStore,
  type EventType,
  type PersonalCommitment,
  type StoredRow,
} from '@declog/core';
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
      const record = records.get(event.id);
      if (!record) {
        // Sealed under a thrown-away key: the subject was erased before the event arrived.
        const subject = (event as { subject?: { id?: string } }).subject?.id;
        const key = subject === undefined ? null : (keyStates.get(subject) ?? null);
        out.push(key && !key.ok ? jsonText(erasedView(event, key.erasure)) : row.json);
        continue;
      }
      if (record.sealed === null) {
        const view = erasedView(event, {
          erased_at: record.shreddedAt ?? '',
          erased_by: record.shreddedBy ?? '',
        });
        out.push(jsonText(view));
        continue;
      }
      const key = keyStates.get(record.subject) ?? null;
      if (!key || !key.ok) {
        const erasure = key && !key.ok ? key.erasure : { erased_at: '', erased_by: '' };
        out.push(jsonText(erasedView(event, erasure)));
        continue;
      }
      const sealed = typeof record.sealed === 'string' ? JSON.parse(record.sealed) : record.sealed;
      const opened = openedView(event, sealed, key.key);
      if (!opened.ok) throw new Error(`sealed data of ${event.id}: ${opened.reason}`);
      out.push(jsonText(opened.view));
    }
    return out;
  };
}
