import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  compactEventText,
  leafHash,
  merkleRoot,
  rootAt,
  subtreeNodes,
  inclusionNodes,
  inclusionProof,
  referenceInclusionProof,
  isPruned,
  parseDecisionQuery,
  prepareEvent,
  leafText,
  validateEvent,
  type DecisionQuery,
  type EventStore,
  type PreparedEvent,
  type SealedEntry,
  type StoredRow,
} from '@declog/core';
import { live, liveRows } from '../../packages/server/src/services/ledger/fixtures/live-rows.js';

/**
 * The behaviour every EventStore adapter must have. Each adapter's test file calls this with a
 * factory for a fresh, empty store; the suite is never modified per adapter.
 */
export function describeEventStore(name: string, openEmpty: () => Promise<EventStore>): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await openEmpty();
    });
    afterEach(async () => {
      await store.close();
    });

    const RECORDED = '2026-11-27T12:00:00.000Z';

    it('appends with gapless 0-based seqs and seals seq and recorded_at into canonical JSON', async () => {
      const result = await store.append([decision('d1'), action('a1', 'd1')], RECORDED);
      expect(result).toEqual({
        ok: true,
        items: [
          { id: 'd1', seq: 0, status: 'created' },
          { id: 'a1', seq: 1, status: 'created' },
        ],
      });
      const second = await store.append([decision('d2')], RECORDED);
      expect(second.ok && second.items[0]?.seq).toBe(2);
      expect(await store.size()).toBe(3);
      const row = live(await store.eventBySeq(1));
      expect(row?.type).toBe('action');
      const parsed = JSON.parse(row?.json ?? 'null') as Record<string, unknown>;
      expect(parsed).toMatchObject({ id: 'a1', seq: 1, recorded_at: RECORDED, decision_id: 'd1' });
      expect(row?.json).toBe(canonicalJson(parsed));
    });

    it('stores a `written` append like a synced one, and a later synced append follows it', async () => {
      const written = await store.append([decision('d1')], RECORDED, { durability: 'written' });
      expect(written).toEqual({ ok: true, items: [{ id: 'd1', seq: 0, status: 'created' }] });
      const conflict = await store.append([decision('d1', { summary: 'changed' })], RECORDED, {
        durability: 'written',
      });
      expect(conflict.ok).toBe(false);
      await store.append([decision('d2')], RECORDED);
      const ids = liveRows(await store.scan(0, 10)).map(
        (row) => (JSON.parse(row.json) as { id: string }).id,
      );
      expect(ids).toEqual(['d1', 'd2']);
    });

    it('treats the same id and content as a duplicate, also within one batch', async () => {
      await store.append([decision('d1')], RECORDED);
      const again = await store.append([decision('d1'), decision('d2'), decision('d2')], RECORDED);
      expect(again).toEqual({
        ok: true,
        items: [
          { id: 'd1', seq: 0, status: 'duplicate' },
          { id: 'd2', seq: 1, status: 'created' },
          { id: 'd2', seq: 1, status: 'duplicate' },
        ],
      });
      expect(await store.size()).toBe(2);
    });

    it('rejects a batch with a conflicting id and stores none of it', async () => {
      await store.append([decision('d1')], RECORDED);
      const result = await store.append(
        [decision('d2'), decision('d1', { summary: 'changed' }), decision('d3')],
        RECORDED,
      );
      expect(result).toEqual({
        ok: false,
        conflicts: [{ index: 1, id: 'd1', reason: 'content', seq: 0 }],
      });
      expect(await store.size()).toBe(1);
      expect(await store.eventById('d2')).toBeNull();
    });

    describe('who may tell a resend from a conflict', () => {
      const producer = (keyId: string) => ({ submitter: { keyId, readsContent: false } });

      it('answers the key that stored an event by content: a duplicate, or a conflict', async () => {
        await store.append([decision('d1')], RECORDED, producer('k1'));
        expect(await store.append([decision('d1')], RECORDED, producer('k1'))).toEqual({
          ok: true,
          items: [{ id: 'd1', seq: 0, status: 'duplicate' }],
        });
        expect(
          await store.append([decision('d1', { summary: 'other' })], RECORDED, producer('k1')),
        ).toEqual({ ok: false, conflicts: [{ index: 0, id: 'd1', reason: 'content', seq: 0 }] });
      });

      it('answers another producer key the same whatever it sends: the id is taken', async () => {
        await store.append([decision('d1')], RECORDED, producer('k1'));
        const taken = { ok: false, conflicts: [{ index: 0, id: 'd1', reason: 'taken' }] };
        expect(await store.append([decision('d1')], RECORDED, producer('k2'))).toEqual(taken);
        expect(
          await store.append([decision('d1', { summary: 'other' })], RECORDED, producer('k2')),
        ).toEqual(taken);
        expect(await store.size()).toBe(1);
      });

      it('answers a submitter that may read the log by content, and an event stored by none as taken', async () => {
        await store.append([decision('d1')], RECORDED);
        const reader = { submitter: { keyId: 'admin', readsContent: true } };
        expect(await store.append([decision('d1')], RECORDED, reader)).toEqual({
          ok: true,
          items: [{ id: 'd1', seq: 0, status: 'duplicate' }],
        });
        expect(await store.append([decision('d1')], RECORDED, producer('k1'))).toEqual({
          ok: false,
          conflicts: [{ index: 0, id: 'd1', reason: 'taken' }],
        });
      });

      it('answers a producer by content for an id twice in its own batch', async () => {
        expect(
          await store.append([decision('d1'), decision('d1')], RECORDED, producer('k1')),
        ).toEqual({
          ok: true,
          items: [
            { id: 'd1', seq: 0, status: 'created' },
            { id: 'd1', seq: 0, status: 'duplicate' },
          ],
        });
      });

      it('keeps answering the storing key for a pruned event', async () => {
        await store.append([decision('d1')], RECORDED, producer('k1'));
        await store.prune({ decisions: ['d1'], seqs: [] }, RECORDED, 'tester');
        expect(await store.append([decision('d1')], RECORDED, producer('k1'))).toEqual({
          ok: true,
          items: [{ id: 'd1', seq: 0, status: 'duplicate' }],
        });
        expect(await store.append([decision('d1')], RECORDED, producer('k2'))).toEqual({
          ok: false,
          conflicts: [{ index: 0, id: 'd1', reason: 'taken' }],
        });
      });
    });

    it('reads events by seq and id, and null for unknown ones', async () => {
      await store.append([decision('d1')], RECORDED);
      expect((await store.eventById('d1'))?.seq).toBe(0);
      expect(await store.eventById('nope')).toBeNull();
      expect(await store.eventBySeq(5)).toBeNull();
    });

    it('links events that arrive before their decision, in occurred_at order', async () => {
      await store.append(
        [
          outcome('o1', 'd1', '2026-01-01T00:00:09Z'),
          action('a2', 'd1', '2026-01-01T00:00:05Z'),
          action('a1', 'd1', '2026-01-01T00:00:05Z'),
        ],
        RECORDED,
      );
      expect(await store.decisionChain('d1')).toBeNull();
      expect(await store.countLinked('d1')).toBe(3);
      await store.append([decision('d1')], RECORDED);
      const chain = await store.decisionChain('d1');
      expect(chain?.decision.seq).toBe(3);
      // Same occurred_at: seq decides (a2 was stored before a1).
      expect(chain?.linked.map((row) => JSON.parse(row.json).id)).toEqual(['a2', 'a1', 'o1']);
    });

    it('does not take an action id for a decision', async () => {
      await store.append([action('x', 'd1')], RECORDED);
      expect(await store.decisionChain('x')).toBeNull();
    });

    it('keeps every complete Merkle node of the leaves it seals, across batches', async () => {
      const batches = [5, 1, 7, 3, 16];
      let n = 0;
      for (const size of batches) {
        const batch = Array.from({ length: size }, () => decision(`m${(n += 1)}`));
        await store.append(batch, RECORDED);
      }
      const rows = liveRows(await store.scan(0, 1000));
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: n }, (_, i) => i));
      const leaves = rows.map((row) => leafHash(Buffer.from(row.json)));
      for (const size of [1, 5, 6, 13, 16, 31, 32]) {
        const refs = subtreeNodes(0, size);
        const hashes = await store.merkleNodes(refs);
        const byRef = new Map(refs.map((ref, i) => [`${ref.level}/${ref.index}`, hashes[i]]));
        const getNode = (level: number, index: number) => {
          const hash = byRef.get(`${level}/${index}`);
          if (!hash) throw new Error('not fetched');
          return hash;
        };
        expect(Buffer.from(rootAt(size, getNode))).toEqual(
          Buffer.from(merkleRoot(leaves.slice(0, size))),
        );
      }
      const refs = inclusionNodes(9, 32);
      const hashes = await store.merkleNodes(refs);
      const byRef = new Map(refs.map((ref, i) => [`${ref.level}/${ref.index}`, hashes[i]!]));
      const proof = inclusionProof(9, 32, (level, index) => byRef.get(`${level}/${index}`)!);
      expect(proof.map((h) => Buffer.from(h))).toEqual(
        referenceInclusionProof(leaves, 9).map((h) => Buffer.from(h)),
      );
      await expect(store.merkleNodes([{ level: 0, index: 999 }])).rejects.toThrow();
    });

    it('keeps checkpoints once per size, in size order', async () => {
      const checkpoint = (size: number, note: string) => ({
        size,
        rootHash: new Uint8Array(32).fill(size),
        note,
        issuedAt: RECORDED,
      });
      expect(await store.latestCheckpoint()).toBeNull();
      expect(await store.addCheckpoint(checkpoint(3, 'three'))).toBe(true);
      expect(await store.addCheckpoint(checkpoint(1, 'one'))).toBe(true);
      expect(await store.addCheckpoint(checkpoint(3, 'again'))).toBe(false);
      expect((await store.latestCheckpoint())?.note).toBe('three');
      const all = await store.checkpoints();
      expect(all.map((c) => [c.size, c.note])).toEqual([
        [1, 'one'],
        [3, 'three'],
      ]);
      expect(Buffer.from(all[1]!.rootHash)).toEqual(Buffer.alloc(32, 3));
      expect((await store.checkpoints(2)).map((c) => c.size)).toEqual([3]);
      expect((await store.checkpointAt(1))?.note).toBe('one');
      expect(await store.checkpointAt(2)).toBeNull();
    });

    it('keeps the first value of a setting', async () => {
      expect(await store.setting('origin')).toBeNull();
      expect(await store.initSetting('origin', 'a')).toBe('a');
      expect(await store.initSetting('origin', 'b')).toBe('a');
      expect(await store.setting('origin')).toBe('a');
    });

    describe('appendSealed', () => {
      /** A second empty store of the same adapter, the target of a copy. */
      let target: EventStore;
      beforeEach(async () => {
        target = await openEmpty();
      });
      afterEach(async () => {
        await target.close();
      });

      /** A log of every event type, recorded at three times (months apart) in five batches. */
      const fillSource = async () => {
        const batches: [PreparedEvent[], string][] = [
          [
            [decision('c1', { labels: { team: 'risk' }, reasons: ['A', 'B'] })],
            '2025-01-31T23:59:59.999Z',
          ],
          [
            [action('c1-a', 'c1'), outcome('c1-o', 'c1'), decision('c2', { subject: 's9' })],
            '2025-02-01T00:00:00.000Z',
          ],
          [[annotation('c2-n', 'c2'), decision('c3', { summary: 'income too low' })], RECORDED],
          [
            Array.from({ length: 9 }, (_, i) => decision(`c-many-${i}`, { model: 'fraud' })),
            RECORDED,
          ],
          [[action('c3-a', 'c3', '2026-01-05T00:00:00Z', 'escalation')], RECORDED],
        ];
        for (const [events, at] of batches) expect((await store.append(events, at)).ok).toBe(true);
      };

      it('copies pruned entries as their marks: same leaf hashes, tree, duplicates and size', async () => {
        await fillSource();
        await store.prune({ decisions: ['c3'], seqs: [] }, RECORDED, 'tester');
        const rows = await store.scan(0, 1000);
        const copied = rows.map((row) => (isPruned(row) ? row : sealedOf(row)));
        expect(copied.some((entry) => 'pruned' in entry)).toBe(true);
        await target.appendSealed(copied.slice(0, 4));
        await target.appendSealed(copied.slice(4));
        const size = await store.size();
        expect(await target.size()).toBe(size);
        const all = subtreeNodes(0, size);
        expect((await target.merkleNodes(all)).map(hex)).toEqual(
          (await store.merkleNodes(all)).map(hex),
        );
        const mark = await target.prunedById('c3');
        expect(mark).toEqual(await store.prunedById('c3'));
        expect(await target.decisionChain('c3')).toBeNull();
        expect(
          await target.append([decision('c3', { summary: 'income too low' })], RECORDED),
        ).toEqual({
          ok: true,
          items: [{ id: 'c3', seq: mark?.seq, status: 'duplicate' }],
        });
        await expect(target.appendSealed(copied.slice(0, 1))).rejects.toThrow(/continue the log/);
      });

      it('copies entries from another store: identical rows, tree nodes, roots and indexes', async () => {
        await fillSource();
        const rows = liveRows(await store.scan(0, 1000));
        const size = rows.length;
        // In three calls, the first two ending inside a subtree, so the tree is continued.
        await target.appendSealed(rows.slice(0, 3).map(sealedOf));
        await target.appendSealed(rows.slice(3, 5).map(sealedOf));
        await target.appendSealed(rows.slice(5).map(sealedOf));

        expect(await target.size()).toBe(size);
        expect(await target.scan(0, 1000)).toEqual(rows);
        const refs = Array.from({ length: size }, (_, n) => subtreeNodes(0, n + 1)).flat();
        expect((await target.merkleNodes(refs)).map(hex)).toEqual(
          (await store.merkleNodes(refs)).map(hex),
        );
        for (const id of ['c1', 'c2', 'c3']) {
          expect(await target.decisionChain(id)).toEqual(await store.decisionChain(id));
        }
        for (const query of [
          '',
          'model=fraud',
          'reason=B',
          'label.team=risk',
          'subject=s9',
          'q=low',
          'action_kind=escalation',
          'outcome_status=success',
        ]) {
          const parsed = parseDecisionQuery(new URLSearchParams(query));
          if (!parsed.ok) throw new Error(query);
          expect(await target.queryDecisions(parsed.filter, parsed.page), query).toEqual(
            await store.queryDecisions(parsed.filter, parsed.page),
          );
        }

        // The copy goes on as a log of its own: the next append continues seq and tree.
        const next = await target.append([decision('after-copy')], RECORDED);
        expect(next.ok && next.items[0]?.seq).toBe(size);
        const leaves = liveRows(await target.scan(0, 1000)).map((row) =>
          leafHash(Buffer.from(row.json)),
        );
        const all = subtreeNodes(0, size + 1);
        const byRef = new Map(
          (await target.merkleNodes(all)).map((hash, i) => [
            `${all[i]?.level}/${all[i]?.index}`,
            hash,
          ]),
        );
        expect(hex(rootAt(size + 1, (level, index) => byRef.get(`${level}/${index}`)!))).toBe(
          hex(merkleRoot(leaves)),
        );
      });

      it('refuses a gap, an overlap, changed bytes or a stored id, and stores nothing of the call', async () => {
        await fillSource();
        const entries = liveRows(await store.scan(0, 1000)).map(sealedOf);
        const [e0, e1, e2, e3, e4] = entries as [
          SealedEntry,
          SealedEntry,
          SealedEntry,
          SealedEntry,
          SealedEntry,
        ];
        await expect(target.appendSealed([e1, e2])).rejects.toThrow(
          /continue the log.*seq 0, not 1/,
        );
        await target.appendSealed([e0, e1]);
        await expect(target.appendSealed([e1, e2]), 'overlap').rejects.toThrow(/seq 2, not 1/);
        await expect(target.appendSealed([e2, e4]), 'gap').rejects.toThrow(/seq 3 expected/);
        await expect(
          target.appendSealed([e2, { ...e3, json: e3.json.replace('"seq":3', '"seq":3 ') }]),
          'changed bytes',
        ).rejects.toThrow(/seq 3: the stored bytes/);
        await expect(
          target.appendSealed([e2, { ...e3, recordedAt: '2030-01-01T00:00:00.000Z' }]),
          'another recorded_at than the bytes hold',
        ).rejects.toThrow(/seq 3: the stored bytes/);
        // e0 again, sealed at seq 2: a valid entry, but its id is in the log already.
        const again = { ...e0, seq: 2, json: leafText(e0.event, 2, e0.recordedAt) };
        await expect(target.appendSealed([again]), 'stored id').rejects.toThrow(
          /id c1 is already stored at seq 0/,
        );
        expect(await target.size()).toBe(2);
        expect((await target.scan(0, 100)).map((row) => row.seq)).toEqual([0, 1]);
        expect(await target.eventById(e2.event.id)).toBeNull();
        await expect(target.merkleNodes([{ level: 0, index: 2 }])).rejects.toThrow();

        await target.appendSealed([]);
        await target.appendSealed([e2, e3, e4]);
        expect(await target.scan(0, 5)).toEqual(await store.scan(0, 5));
      });
    });

    describe('queryDecisions', () => {
      beforeEach(async () => {
        const events: PreparedEvent[] = [];
        for (let i = 0; i < 30; i += 1) {
          events.push(
            decision(`d${i}`, {
              model: i % 2 === 0 ? 'credit' : 'fraud',
              version: i % 3 === 0 ? '2' : '1',
              occurredAt: `2026-01-${String(1 + (i % 10)).padStart(2, '0')}T00:00:00Z`,
              reasons: i % 5 === 0 ? ['LOW_INCOME', 'NEW_CUSTOMER'] : ['OK'],
              subject: `s${i % 4}`,
              labels: { team: i % 2 === 0 ? 'risk' : 'ops', region: 'eu' },
              summary:
                i % 7 === 0 ? 'income too low for the requested amount' : 'all checks passed',
            }),
          );
        }
        events.push(action('act-esc', 'd5', '2026-01-06T00:00:00Z', 'escalation'));
        events.push(action('act-auto', 'd6', '2026-01-07T00:00:00Z', 'automated'));
        events.push(outcome('out-fail', 'd5', '2026-01-08T00:00:00Z', 'failure'));
        await store.append(events, RECORDED);
      });

      const ids = async (query: string, limit = 1000) => {
        const parsed = parseDecisionQuery(new URLSearchParams(query));
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
        const page = await store.queryDecisions(parsed.filter, { ...parsed.page, limit });
        return page.items.map((row) => JSON.parse(row.json).id as string);
      };
      const expected = (keep: (i: number) => boolean) =>
        Array.from({ length: 30 }, (_, i) => i)
          .filter(keep)
          .sort((a, b) => (b % 10) - (a % 10) || b - a)
          .map((i) => `d${i}`);

      it('lists every decision newest first, ties by seq', async () => {
        expect(await ids('')).toEqual(expected(() => true));
      });
      it('filters by model and version', async () => {
        expect(await ids('model=credit')).toEqual(expected((i) => i % 2 === 0));
        expect(await ids('model=credit&model_version=2')).toEqual(
          expected((i) => i % 2 === 0 && i % 3 === 0),
        );
        expect(await ids('model_version=2')).toEqual(expected((i) => i % 3 === 0));
      });
      it('filters by time range, from inclusive and to exclusive', async () => {
        expect(await ids('from=2026-01-03T00:00:00Z&to=2026-01-05T00:00:00Z')).toEqual(
          expected((i) => i % 10 === 2 || i % 10 === 3),
        );
        expect(await ids('from=2026-01-02T01:00:00%2B01:00')).toEqual(expected((i) => i % 10 >= 1));
      });
      it('filters by reason code, subject and labels', async () => {
        expect(await ids('reason=LOW_INCOME')).toEqual(expected((i) => i % 5 === 0));
        expect(await ids('subject=s1')).toEqual(expected((i) => i % 4 === 1));
        expect(await ids('label.team=ops&label.region=eu')).toEqual(expected((i) => i % 2 === 1));
        expect(await ids('label.team=nobody')).toEqual([]);
      });
      it('filters by action kind and outcome status', async () => {
        expect(await ids('action_kind=escalation')).toEqual(['d5']);
        expect(await ids('action_kind=automated')).toEqual(['d6']);
        expect(await ids('outcome_status=failure')).toEqual(['d5']);
        expect(await ids('outcome_status=success')).toEqual([]);
      });
      it('matches all words of q in the rationale summary, any case', async () => {
        expect(await ids('q=Income%20LOW')).toEqual(expected((i) => i % 7 === 0));
        expect(await ids('q=income%20passed')).toEqual([]);
      });
      it('combines filters', async () => {
        expect(await ids('model=credit&reason=LOW_INCOME&subject=s0')).toEqual(
          expected((i) => i % 2 === 0 && i % 5 === 0 && i % 4 === 0),
        );
      });

      it('pages with a cursor that stays valid while new decisions arrive', async () => {
        const seen: string[] = [];
        let query: DecisionQuery = parseDecisionQuery(new URLSearchParams('limit=7'));
        let round = 0;
        for (;;) {
          if (!query.ok) throw new Error('bad query');
          const page = await store.queryDecisions(query.filter, query.page);
          seen.push(...page.items.map((row) => JSON.parse(row.json).id as string));
          if (!page.next) break;
          // New decisions land both before and after the cursor position.
          await store.append(
            [
              decision(`new-late-${round}`, { occurredAt: '2026-02-01T00:00:00Z' }),
              decision(`new-early-${round}`, { occurredAt: '2025-12-01T00:00:00Z' }),
            ],
            RECORDED,
          );
          round += 1;
          query = { ...query, page: { limit: 7, after: page.next } };
        }
        const old = seen.filter((id) => !id.startsWith('new-'));
        expect(old).toEqual(expected(() => true));
        expect(new Set(seen).size).toBe(seen.length);
      });

      it('ends a page once its stored text reaches maxBytes, with a cursor where it ended', async () => {
        const all = expected(() => true);
        const stored = new Map(
          liveRows(await store.scan(0, 1000)).map((row) => [
            JSON.parse(row.json).id as string,
            Buffer.byteLength(compactEventText(row.json)),
          ]),
        );
        const [first = 0, second = 0] = all.map((id) => stored.get(id) ?? 0);
        // The third decision begins before the budget is reached, the fourth at it.
        const maxBytes = first + second + 1;
        const seen: string[] = [];
        let after = null;
        for (;;) {
          const page = await store.queryDecisions(
            { labels: [], words: [] },
            { limit: 1000, after, maxBytes },
          );
          const pageIds = page.items.map((row) => JSON.parse(row.json).id as string);
          if (seen.length === 0) expect(pageIds).toEqual(all.slice(0, 3));
          expect(pageIds.length).toBeGreaterThan(0);
          seen.push(...pageIds);
          if (!page.next) break;
          expect(page.next).toEqual({
            occurredMs: page.items.at(-1)?.occurredMs,
            seq: page.items.at(-1)?.seq,
          });
          after = page.next;
        }
        expect(seen).toEqual(all);
        const one = await store.queryDecisions(
          { labels: [], words: [] },
          { limit: 10, after: null, maxBytes: 1 },
        );
        expect(one.items, 'at least one decision').toHaveLength(1);
        expect(one.next).not.toBeNull();
      });
    });

    it('scans entries until their stored text reaches maxBytes, at least one', async () => {
      await store.append(
        Array.from({ length: 10 }, (_, i) =>
          decision(`d${i}`, { summary: `s${'x'.repeat(i * 10)}` }),
        ),
        RECORDED,
      );
      const rows = liveRows(await store.scan(0, 10));
      const bytes = rows.map((row) => Buffer.byteLength(compactEventText(row.json)));
      const seqs = async (maxBytes: number) =>
        (await store.scan(0, 10, maxBytes)).map((row) => row.seq);
      expect(await seqs(1)).toEqual([0]);
      expect(await seqs((bytes[0] ?? 0) + (bytes[1] ?? 0) + 1)).toEqual([0, 1, 2]);
      expect(await seqs((bytes[0] ?? 0) + (bytes[1] ?? 0))).toEqual([0, 1]);
      expect(await seqs(10_000_000)).toEqual(rows.map((row) => row.seq));
      expect((await store.scan(3, 2, 10_000_000)).map((row) => row.seq)).toEqual([3, 4]);
    });

    describe('retention: pruning', () => {
      const AT = '2027-06-01T00:00:00.000Z';
      const ids = async (query: Record<string, string>) => {
        const parsed = parseDecisionQuery(new URLSearchParams(query));
        if (!parsed.ok) throw new Error('bad query');
        const page = await store.queryDecisions(parsed.filter, parsed.page);
        return page.items.map((row) => (JSON.parse(row.json) as { id: string }).id);
      };
      const leaves = async (size: number) =>
        (
          await store.merkleNodes(Array.from({ length: size }, (_, index) => ({ level: 0, index })))
        ).map(hex);
      const sealed = (id: string, subject: string): PreparedEvent => ({
        ...decision(id, { subject }),
        personal: { subject, sealed: `{"sealed":"${id}"}` },
      });

      it("prunes a decision's chain: events and index rows go, leaf hashes, seqs and size stay", async () => {
        await store.append(
          [
            decision('d1', { reasons: ['R1'], summary: 'alpha words', subject: 's1' }),
            action('a1', 'd1'),
            outcome('o1', 'd1'),
            decision('d2', { reasons: ['R2'], summary: 'beta words' }),
            action('a2', 'd2'),
          ],
          RECORDED,
        );
        const before = await leaves(5);
        expect(await store.prune({ decisions: ['d1'], seqs: [] }, AT, 'tester')).toBe(3);

        expect(await store.size()).toBe(5);
        expect(await leaves(5)).toEqual(before);
        const first = await store.eventBySeq(0);
        expect(first && isPruned(first)).toBe(true);
        if (!first || !isPruned(first)) return;
        expect(first.type).toBe('decision');
        expect(first.pruned).toMatchObject({
          id: 'd1',
          decisionId: null,
          recordedAt: RECORDED,
          prunedAt: AT,
          prunedBy: 'tester',
        });
        expect(hex(first.pruned.leafHash)).toBe(before[0]);
        expect((await store.prunedById('a1'))?.pruned).toMatchObject({ decisionId: 'd1' });
        expect(await store.eventById('d1')).toBeNull();
        expect(await store.decisionChain('d1')).toBeNull();
        expect(await store.countLinked('d1')).toBe(0);
        expect((await store.decisionChain('d2'))?.linked).toHaveLength(1);

        for (const query of [{ reason: 'R1' }, { q: 'alpha' }, { subject: 's1' }]) {
          expect(await ids(query)).toEqual([]);
        }
        expect(await ids({ model: 'credit' })).toEqual(['d2']);
        expect(await ids({ reason: 'R2' })).toEqual(['d2']);

        const rows = await store.scan(0, 10);
        expect(rows.map((row) => [row.seq, isPruned(row)])).toEqual([
          [0, true],
          [1, true],
          [2, true],
          [3, false],
          [4, false],
        ]);
        expect(await store.prune({ decisions: ['d1'], seqs: [] }, AT, 'tester')).toBe(0);
      });

      it('a resend of a pruned event is still a duplicate; other content under its id a conflict', async () => {
        await store.append([decision('d1'), action('a1', 'd1')], RECORDED);
        await store.prune({ decisions: ['d1'], seqs: [] }, AT, 'tester');
        expect(await store.append([decision('d1')], RECORDED)).toEqual({
          ok: true,
          items: [{ id: 'd1', seq: 0, status: 'duplicate' }],
        });
        expect(await store.append([decision('d1', { summary: 'other' })], RECORDED)).toEqual({
          ok: false,
          conflicts: [{ index: 0, id: 'd1', reason: 'content', seq: 0 }],
        });
        const next = await store.append([decision('d3')], RECORDED);
        expect(next.ok && next.items[0]?.seq).toBe(2);
      });

      it('pruning the last entries keeps the size: appends go on after them', async () => {
        await store.append([decision('d1'), decision('d2')], RECORDED);
        expect(await store.prune({ decisions: [], seqs: [1] }, AT, 'tester')).toBe(1);
        expect(await store.size()).toBe(2);
        const next = await store.append([decision('d3')], RECORDED);
        expect(next.ok && next.items[0]?.seq).toBe(2);
        expect(await leaves(3)).toHaveLength(3);
      });

      it('pruning a decision deletes its sealed personal values', async () => {
        await store.append([sealed('d1', 's1'), sealed('d2', 's1')], RECORDED);
        await store.prune({ decisions: ['d1'], seqs: [] }, AT, 'tester');
        const kept = await store.personalData(['d1', 'd2']);
        expect([...kept.keys()]).toEqual(['d2']);
      });

      it('lists retention candidates with their newest linked seq, and orphans', async () => {
        await store.append(
          [
            sealed('d1', 's1'),
            decision('d2'),
            action('x1', 'ghost'),
            action('a1', 'd1'),
            decision('d3', { model: 'other' }),
            outcome('o1', 'd1'),
          ],
          RECORDED,
        );
        const candidates = await store.retentionCandidates(0, 5, 100);
        expect(candidates).toEqual([
          { seq: 0, id: 'd1', model: 'credit', subject: 's1', newestSeq: 5, hasPersonalData: true },
          {
            seq: 1,
            id: 'd2',
            model: 'credit',
            subject: null,
            newestSeq: 1,
            hasPersonalData: false,
          },
          { seq: 4, id: 'd3', model: 'other', subject: null, newestSeq: 4, hasPersonalData: false },
        ]);
        expect((await store.retentionCandidates(1, 5, 1)).map((c) => c.id)).toEqual(['d2']);
        await store.shredPersonalData({ ids: ['d1'] }, AT, 'tester');
        expect((await store.retentionCandidates(0, 1, 10))[0]?.hasPersonalData).toBe(false);
        expect(await store.orphans(0, 6, 100)).toEqual([{ seq: 2, id: 'x1', decisionId: 'ghost' }]);
        expect(await store.orphans(3, 6, 100)).toEqual([]);
        await store.prune({ decisions: ['d1'], seqs: [] }, AT, 'tester');
        expect((await store.retentionCandidates(0, 6, 100)).map((c) => c.id)).toEqual(['d2', 'd3']);
        expect(await store.orphans(0, 6, 100)).toHaveLength(1);
      });
    });
  });
}

interface DecisionOptions {
  model?: string;
  version?: string;
  occurredAt?: string;
  reasons?: string[];
  subject?: string;
  labels?: Record<string, string>;
  summary?: string;
}

let ids = 0;
const newId = () => `generated-${(ids += 1)}`;

function prepare(input: unknown): PreparedEvent {
  const result = validateEvent(input);
  if (!result.ok) throw new Error(`invalid test event: ${JSON.stringify(result.issues)}`);
  return prepareEvent(result.event, newId);
}

export function decision(id: string, options: DecisionOptions = {}): PreparedEvent {
  return prepare({
    id,
    type: 'decision',
    occurred_at: options.occurredAt ?? '2026-01-01T00:00:00Z',
    model: { name: options.model ?? 'credit', version: options.version ?? '1' },
    prediction: { label: 'approve', score: 0.8 },
    confidence: 0.8,
    rationale: {
      summary: options.summary ?? 'all checks passed',
      reasons: (options.reasons ?? ['OK']).map((code) => ({ code })),
    },
    ...(options.subject ? { subject: { id: options.subject } } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
  });
}

export function action(
  id: string,
  decisionId: string,
  occurredAt = '2026-01-01T00:00:01Z',
  kind = 'automated',
): PreparedEvent {
  return prepare({
    id,
    type: 'action',
    decision_id: decisionId,
    occurred_at: occurredAt,
    action: { kind, name: 'approve', actor: { type: 'system', id: 'svc' } },
  });
}

export function outcome(
  id: string,
  decisionId: string,
  occurredAt = '2026-01-02T00:00:00Z',
  status = 'success',
): PreparedEvent {
  return prepare({
    id,
    type: 'outcome',
    decision_id: decisionId,
    occurred_at: occurredAt,
    outcome: { status },
  });
}

export function annotation(id: string, decisionId: string): PreparedEvent {
  return prepare({
    id,
    type: 'annotation',
    decision_id: decisionId,
    occurred_at: '2026-01-03T00:00:00Z',
    annotation: { text: 'checked' },
  });
}

/** A stored row as a sealed entry, re-derived from its bytes as a copy does. */
function sealedOf(row: StoredRow): SealedEntry {
  const {
    seq,
    recorded_at: recordedAt,
    ...event
  } = JSON.parse(row.json) as Record<string, unknown>;
  if (seq !== row.seq || typeof recordedAt !== 'string') throw new Error('not a stored event');
  return { event: prepare(event), seq: row.seq, recordedAt, json: row.json };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
