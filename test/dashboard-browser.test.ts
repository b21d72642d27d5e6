// The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a real
// declog serve: sign in, filter and page, a decision verified by the browser itself and a
// tampered one refused, the review queue from the keyboard, the ledger's consistency check,
// what each role may open, and axe-core's accessibility rules in both themes.
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '@declog/core';
import { TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { startChromium, type ContextOptions, type HeadlessChromium } from './helpers/chromium.js';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  outcomeEvent,
  type TestEvent,
} from './helpers/event-factory.js';
import { ingestOk, request, type DecisionChain } from './helpers/http-api.js';
import { body, withDb } from './helpers/ledger-db.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, testStore, type TestStore } from './helpers/test-store.js';

const tmp = useTempDir('declog-dashboard-browser-');
let store: TestStore;
let server: ServerProcess;
let chromium: HeadlessChromium;
const keys: Record<'producer' | 'reviewer' | 'auditor' | 'admin', string> = {
  producer: '',
  reviewer: '',
  auditor: '',
  admin: TEST_ADMIN_KEY,
};
const seqs = new Map<string, number>();

const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00Z`;

beforeAll(async () => {
  store = await testStore(tmp, 'dashboard');
  server = await startServerOn(store);
  for (const role of ['producer', 'reviewer', 'auditor'] as const) {
    const created = await request<{ key: string }>(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, name: `${role}@bank` }),
    });
    expect(created.status).toBe(201);
    keys[role] = created.body.key;
  }
  const events: TestEvent[] = [];
  for (let i = 0; i < 30; i += 1) {
    events.push(
      decisionEvent({
        id: `dec-${String(i).padStart(2, '0')}`,
        occurred_at: at(i),
        model: { name: i % 3 === 0 ? 'fraud-check' : 'credit-scorer', version: '1.4.0' },
      }),
    );
  }
  events.push(
    decisionEvent({
      id: 'dec-full',
      occurred_at: at(40),
      rationale: {
        summary: 'Debt ratio above the limit',
        reasons: [{ code: 'debt_ratio', weight: 0.7 }],
      },
      input: { ref: 's3://inputs/full.json', features: { income: 52000 } },
    }),
    actionEvent('dec-full', { id: 'act-full', occurred_at: at(41), kind: 'automated' }),
    outcomeEvent('dec-full', { occurred_at: '2026-03-02T10:40:00Z', status: 'failure' }),
    annotationEvent('dec-full', { occurred_at: at(45), text: 'Income proof was checked' }),
    decisionEvent({ id: 'dec-esc-old', occurred_at: at(31) }),
    actionEvent('dec-esc-old', { occurred_at: at(32), kind: 'escalation' }),
    decisionEvent({ id: 'dec-esc-done', occurred_at: at(33) }),
    actionEvent('dec-esc-done', { occurred_at: at(34), kind: 'human_review' }),
    actionEvent('dec-esc-done', { occurred_at: at(35), kind: 'override' }),
    decisionEvent({ id: 'dec-esc-new', occurred_at: at(36) }),
    actionEvent('dec-esc-new', { occurred_at: at(37), kind: 'human_review' }),
    decisionEvent({ id: 'dec-tamper', occurred_at: at(50) }),
    decisionEvent({
      id: 'dec-erased',
      occurred_at: at(51),
      subject: { id: 'applicant-erased' },
      input: { features: { income: 31000 } },
      cohort: { region: 'north' },
    }),
  );
  for (const result of await ingestOk(server.url, events)) seqs.set(result.id, result.seq);
  chromium = await startChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
});

afterEach(() => {
  // No script error and no refusal by the Content-Security-Policy or Trusted Types.
  expect(chromium.problems).toEqual([]);
});

let context: BrowserContext | null = null;
afterEach(async () => {
  await context?.close();
  context = null;
});

/** A new tab signed in with `key`, on `path`. */
async function signedIn(key: string, path = '/', options: ContextOptions = {}): Promise<Page> {
  context = await chromium.context(options);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

const rows = (page: Page) => page.locator('table.decisions tbody tr');

describe('signing in', () => {
  it('refuses an unknown key, saying so, and keeps the key in the tab only', async () => {
    context = await chromium.context();
    const page = await context.newPage();
    await page.goto(`${server.url}/decisions`);
    await page.getByLabel('API key').fill('dlk_not-a-key-of-this-server-0000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('does not know this key');

    await page.getByLabel('API key').fill(keys.auditor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Decisions' }).waitFor();
    // Expressions run in the page (this file is compiled without the DOM's types).
    const stored = await page.evaluate<{
      session: string | null;
      local: string[];
      cookies: string;
    }>(
      `({ session: sessionStorage.getItem('declog.session'), local: Object.keys(localStorage),
          cookies: document.cookie })`,
    );
    expect(stored.session).toContain(keys.auditor);
    expect(stored.local.join(' ')).not.toContain('session');
    expect(stored.cookies).toBe('');
    // A new tab (another context: its session storage is its own) asks again.
    const other = await (await chromium.context()).newPage();
    await other.goto(`${server.url}/decisions`);
    await other.getByLabel('API key').waitFor();
    await other.context().close();
  });

  it('sends the purpose given at sign-in with every read, into the access trail', async () => {
    context = await chromium.context();
    const page = await context.newPage();
    await page.goto(`${server.url}/decisions/dec-full`);
    await page.getByLabel('API key').fill(keys.auditor);
    await page.getByLabel('Purpose (optional)').fill('complaint #42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Purpose: complaint #42').waitFor();
    await page.getByRole('list', { name: "The decision's chain in time order" }).waitFor();
    const trail = await request<{ items: { action: string; purpose?: string; target?: object }[] }>(
      server.url,
      '/v1/access-log?action=decisions.read&limit=1000',
    );
    expect(trail.body.items).toContainEqual(
      expect.objectContaining({ purpose: 'complaint #42', target: { id: 'dec-full' } }),
    );
  });

  it('shows a producer key nothing but a message', async () => {
    const page = await signedIn(keys.producer);
    await page.getByRole('heading', { name: 'Nothing to show to a producer key' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count()).toBe(0);
  });
});

describe('the decisions explorer', () => {
  it('filters and pages, with the view in a URL that restores it', async () => {
    const page = await signedIn(keys.auditor, '/decisions');
    await expect.poll(() => rows(page).count()).toBe(36);
    await page.getByLabel('Model', { exact: true }).fill('fraud-check');
    await page.getByLabel('Per page').selectOption('20');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rows(page).count()).toBe(10);
    expect(page.url()).toContain('model=fraud-check');
    expect(await rows(page).first().textContent()).toContain('dec-27');

    await page.goto(`${server.url}/decisions?limit=20`);
    await expect.poll(() => rows(page).count()).toBe(20);
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect.poll(() => rows(page).count()).toBe(16);
    expect(page.url()).toMatch(/limit=20&cursor=/);
    await page.getByText('End of the list').waitFor();

    // The URL alone restores the view, filters in the form included.
    await page.goto(`${server.url}/decisions?reason=debt_ratio&action_kind=automated`);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await page.getByLabel('Reason code').inputValue()).toBe('debt_ratio');
    expect(await page.getByLabel('Has an action of kind').inputValue()).toBe('automated');
    // Exactly what the address says: a searched %41 stays %41.
    await page.goto(`${server.url}/decisions?q=${encodeURIComponent('%41 income')}`);
    await page.getByRole('table').waitFor();
    expect(await page.getByLabel('Words in the rationale').inputValue()).toBe('%41 income');
  });
});

describe('moving between pages', () => {
  it('names the tab after the page, and puts the focus on its heading', async () => {
    const page = await signedIn(keys.auditor, '/decisions?limit=20');
    await rows(page).first().waitFor();
    expect(await page.title()).toBe('Decisions · declog');
    await page.getByRole('link', { name: 'dec-full' }).click();
    await page.getByRole('heading', { name: 'Decision dec-full' }).waitFor();
    expect(await page.title()).toBe('Decision dec-full · declog');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe(
      'Decision dec-full',
    );
    // The focus order continues from the heading into the page: first, pinning the key (once
    // the page has read the server's key: before that, nothing after the heading takes focus).
    await page.getByRole('button', { name: 'Pin this key' }).waitFor();
    expect(await page.evaluate<string>('document.activeElement.tagName')).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Pin this key');
  });
});

describe('a decision page', () => {
  it('shows the chain and a verified badge computed in the browser once the key is pinned', async () => {
    const page = await signedIn(keys.auditor, '/decisions/dec-full');
    const timeline = page.getByRole('list', { name: "The decision's chain in time order" });
    await timeline.waitFor();
    const text = (await timeline.textContent()) ?? '';
    expect(text).toContain('Debt ratio above the limit');
    expect(text).toContain('debt_ratio');
    expect(text).toContain('s3://inputs/full.json');
    expect(text).toContain('Income proof was checked');
    expect(text).toMatch(/Outcome failure/);
    expect(text).toContain('24.0 h after the decision');
    await page.getByText('Not verified: no verifier key is pinned yet.').waitFor();

    await page.getByRole('button', { name: 'Pin this key' }).click();
    const badge = page.locator('[data-verified="true"]');
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/Verified in this browser: 4 events/);
  });

  it("shows an erased subject's personal values as erased, and still verifies", async () => {
    const erased = await request(server.url, '/v1/subjects/applicant-erased', { method: 'DELETE' });
    expect(erased.status).toBe(200);
    const page = await signedIn(keys.auditor, '/decisions/dec-erased');
    await page.getByRole('button', { name: 'Pin this key' }).click();
    await page.locator('[data-verified="true"]').waitFor();
    const text = (await page.locator('.entry-decision').textContent()) ?? '';
    expect(text).toContain('input.features: erased');
    expect(text).toContain('cohort: erased');
    expect(text).not.toContain('31000');
    expect(text).not.toContain('31,000');
  });

  it('says "not verified", and why, when a stored event was edited in the database', async () => {
    const page = await signedIn(keys.auditor, '/decisions/dec-tamper');
    await page.getByRole('button', { name: 'Pin this key' }).click();
    await page.locator('[data-verified="true"]').waitFor();

    const seq = seqs.get('dec-tamper')!;
    const file = store.location.slice('sqlite:'.length);
    const event = JSON.parse(body(file, seq)) as { rationale: { summary: string } };
    event.rationale.summary = 'Income ratio far below the threshold';
    withDb(file, (sql) =>
      sql.prepare('UPDATE events SET body = ? WHERE seq = ?').run(canonicalJson(event), seq),
    );

    await page.reload();
    const badge = page.locator('[data-verified="false"]');
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/^Not verified: /);
  });
});

describe('the review queue', () => {
  it('works from the keyboard alone: note, override, uphold, then nothing left', async () => {
    const page = await signedIn(keys.admin, '/review');
    const list = page.getByRole('navigation', { name: 'Decisions awaiting review' });
    await list.waitFor();
    expect(await list.getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('dec-esc-old'),
      expect.stringContaining('dec-esc-new'),
    ]);
    await page.getByRole('heading', { name: /dec-esc-old/ }).waitFor();

    await page.keyboard.press('e');
    await page.keyboard.type('Income documents do not support the score');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('status').filter({ hasText: 'Note saved on dec-esc-old.' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('o');
    await page.getByRole('heading', { name: /dec-esc-new/ }).waitFor();
    await page.keyboard.press('u');
    await page.getByText('Nothing awaits review.').waitFor();

    const me = await request<{ name: string }>(server.url, '/v1/me');
    const chain = await request<DecisionChain>(server.url, '/v1/decisions/dec-esc-old');
    expect(chain.body.annotations.map((a) => a.annotation)).toEqual([
      { text: 'Income documents do not support the score', author: me.body.name },
    ]);
    expect(chain.body.actions.at(-1)?.action).toEqual({
      kind: 'override',
      name: 'override',
      actor: { type: 'human', id: me.body.name },
    });
    const upheld = await request<DecisionChain>(server.url, '/v1/decisions/dec-esc-new');
    expect(upheld.body.actions.at(-1)?.action).toMatchObject({ kind: 'other', name: 'uphold' });
  });

  it('lets a reviewer key add notes and record its own verdict', async () => {
    await ingestOk(server.url, [
      decisionEvent({ id: 'dec-esc-reviewer', occurred_at: at(55) }),
      actionEvent('dec-esc-reviewer', { occurred_at: at(56), kind: 'escalation' }),
    ]);
    const page = await signedIn(keys.reviewer, '/review');
    await page.getByRole('heading', { name: /dec-esc-reviewer/ }).waitFor();
    await page.getByLabel(/^Note/).fill('Asked the branch for the payslips');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('status').filter({ hasText: 'Note saved' }).waitFor();
    await page.getByRole('button', { name: 'Override' }).click();
    await page.getByRole('status').filter({ hasText: 'Overridden: dec-esc-reviewer' }).waitFor();
    const chain = await request<DecisionChain>(server.url, '/v1/decisions/dec-esc-reviewer');
    expect(chain.body.annotations.map((a) => a.annotation.author)).toEqual(['reviewer@bank']);
    expect(chain.body.actions.at(-1)?.action).toEqual({
      kind: 'override',
      name: 'override',
      actor: { type: 'human', id: 'reviewer@bank' },
    });
  });
});

describe('what each role may open', () => {
  it('a reviewer key has no access trail or ledger, even by its URL', async () => {
    const page = await signedIn(keys.reviewer, '/access');
    await page.getByRole('heading', { name: 'Not for a reviewer key' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Decisions',
      'Review queue',
      'Models',
    ]);
  });

  it('an auditor reads the access trail, filtered by actor and action', async () => {
    const refused = await request(server.url, '/v1/access-log', {
      headers: { authorization: `Bearer ${keys.reviewer}` },
    });
    expect(refused.status).toBe(403);
    const page = await signedIn(keys.auditor, '/access');
    await page.getByRole('heading', { name: 'Access trail' }).waitFor();
    await page.getByLabel('Actor (key id or name)').fill('reviewer@bank');
    await page.getByLabel('Action').selectOption('denied');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    for (const row of await page.locator('tbody tr').allTextContents()) {
      expect(row).toContain('reviewer@bank');
      expect(row).toContain('denied');
    }
  });
});

describe('tenants', () => {
  it("a key of all tenants switches tenant, and sees that tenant's decisions only", async () => {
    const producer = await request<{ key: string }>(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'producer', tenant: 'acme', name: 'acme-service' }),
    });
    expect(producer.status).toBe(201);
    const posted = await request(server.url, '/v1/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${producer.body.key}`,
      },
      body: JSON.stringify({
        events: [decisionEvent({ id: 'dec-acme-only', occurred_at: at(1) })],
      }),
    });
    expect(posted.status).toBe(200);
    const page = await signedIn(keys.admin, '/decisions');
    await expect.poll(() => rows(page).count()).toBeGreaterThan(30);
    await page.getByLabel('Tenant').selectOption('acme');
    await expect
      .poll(() => rows(page).allTextContents())
      .toEqual([expect.stringContaining('dec-acme-only')]);
  });
});

describe('the ledger page', () => {
  it('checks that the log only grew since a checkpoint saved in the browser', async () => {
    const page = await signedIn(keys.auditor, '/ledger');
    await page.getByRole('button', { name: 'Pin this key' }).click();
    await page.getByText('verified with the pinned key').waitFor();
    await page.getByRole('button', { name: 'Save this checkpoint in this browser' }).click();
    const before = Number((await page.getByTestId('tree-size').textContent())?.replace(/\D/g, ''));

    await ingestOk(server.url, [decisionEvent({ occurred_at: at(59) })]);
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Reload' }).click();
          return Number((await page.getByTestId('tree-size').textContent())?.replace(/\D/g, ''));
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(before);
    await page.getByRole('button', { name: 'Check against the latest' }).click();
    const verdict = page.locator('[data-consistent="true"]');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain(`extends the saved one of ${before}`);
  });
});

describe('the models pages', () => {
  // A model whose name a path must escape, 40 decisions a day over 21 days: 2 escalated a day,
  // but 12 on day 18 (30% against a 5% baseline), which the anomalies analysis flags; the
  // escalated ones are all from the north.
  const MODEL = 'team/credit scorer 50%';
  const day = (n: number, hour = 12) =>
    `2026-02-${String(n).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
  beforeAll(async () => {
    const events: TestEvent[] = [];
    for (let d = 1; d <= 21; d += 1) {
      for (let i = 0; i < 40; i += 1) {
        const id = `spike-${d}-${i}`;
        events.push(
          decisionEvent({
            id,
            occurred_at: day(d, 1 + (i % 20)),
            model: { name: MODEL, version: '2.0.0' },
            // Only northern decisions are escalated: the south is selected at a rate of 0.
            cohort: { region: i < 20 ? 'north' : 'south' },
          }),
        );
        if (i < (d === 18 ? 12 : 2))
          events.push(actionEvent(id, { occurred_at: day(d, 22), kind: 'escalation' }));
        // Outcomes for the first day's decisions: a quarter defaulted.
        if (d === 1)
          events.push(
            outcomeEvent(id, {
              occurred_at: day(28),
              outcome:
                i < 10
                  ? { status: 'failure', label: 'default' }
                  : { status: 'success', label: 'repaid' },
            }),
          );
      }
    }
    await ingestOk(server.url, events);
    const declared = await request(server.url, `/v1/models/fraud-check/versions/1.4.0`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        owner: 'fraud team',
        purpose: 'holds suspicious payments',
        reasons: { income_ratio: { text: 'Your income covers the payment well', adverse: false } },
      }),
    });
    expect(declared.status).toBe(201);
    const spiked = await request(
      server.url,
      `/v1/models/${encodeURIComponent(MODEL)}/versions/2.0.0`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ owner: 'queue team', purpose: 'scores', positive_label: 'default' }),
      },
    );
    expect(spiked.status).toBe(201);
  }, 60_000);

  it('list the inventory as the server keeps it, and lead to a model and its decisions', async () => {
    const page = await signedIn(keys.auditor, '/models');
    const inventory = page.locator('table.inventory tbody tr');
    await expect
      .poll(() => inventory.allTextContents())
      .toEqual([
        expect.stringMatching(/^credit-scorer1\.4\.0no/),
        expect.stringMatching(
          /^fraud-check1\.4\.0yes \(revision 1\)fraud teamholds suspicious payments/,
        ),
        expect.stringMatching(/^team\/credit scorer 50%2\.0\.0yes \(revision 1\)queue team.*840/),
      ]);
    expect(await page.locator('[data-undeclared]').getAttribute('data-undeclared')).toBe('1');
    expect(await page.locator('[data-inventory="unavailable"]').count()).toBe(0);
    await page.getByRole('link', { name: 'fraud-check' }).click();
    await page.getByRole('heading', { name: 'Model fraud-check' }).waitFor();
    await page.getByRole('img', { name: /^Decisions per bucket: \d+ points/ }).waitFor();
    // fraud-check declares no positive label: the page says why there is no performance verdict.
    await page.locator('[data-performance="no-positive-label"]').waitFor();
    await page.getByRole('link', { name: 'Its decisions' }).click();
    await expect.poll(() => rows(page).count()).toBe(10);
  });

  it("shows a decision's reason codes with the text the version in force declares", async () => {
    const page = await signedIn(keys.auditor, '/decisions/dec-00');
    const decision = page.locator('.entry-decision');
    await decision.waitFor();
    await expect
      .poll(() => decision.textContent())
      .toContain('Your income covers the payment well');
  });

  it('charts the planted escalation spike, flagged by the server, and nothing else', async () => {
    const page = await signedIn(keys.auditor, '/models');
    await page.getByRole('link', { name: MODEL }).click();
    await page.getByRole('heading', { name: `Model ${MODEL}` }).waitFor();
    // The last 7 days up to the last decision, each against the 14 before.
    const chart = page.getByRole('img', { name: /^Escalation rate: 7 points, 1 flagged/ });
    await chart.waitFor();
    await chart.locator('canvas').waitFor();
    await page
      .getByText(
        /^escalation_rate spiked in the day from 2026-02-18T00:00:00.000Z: 30.0% of 40 decisions/,
      )
      .waitFor();
    expect(await page.getByRole('img', { name: /flagged/ }).count()).toBe(1);
    const volume = page.getByRole('img', { name: 'Decisions per bucket: 7 points' });
    await volume.waitFor();
    // The same days against the 14 before for drift: the stream did not change otherwise.
    await page.getByRole('heading', { name: 'Drift' }).waitFor();
    expect(await page.locator('[data-drifted]').getAttribute('data-drifted')).toBe('');
    // Realised performance of the version: the first day's 40 outcomes, a quarter positive,
    // every decision scored 0.82 (predicted positive).
    const performance = page.locator('table.performance tbody tr');
    await expect
      .poll(() => performance.allTextContents())
      .toEqual([expect.stringMatching(/^2\.0\.084040800400\.25/)]);
    // Fairness by a cohort attribute the reader names, counting escalations as selected.
    await page.getByLabel('Cohort attribute', { exact: true }).fill('region');
    await page.getByLabel(/^Selected/).fill('escalation');
    await page.getByRole('button', { name: 'Compare groups' }).click();
    const groups = page.locator('table.fairness tbody tr');
    await expect
      .poll(() => groups.allTextContents())
      .toEqual([
        expect.stringMatching(/^north420.*ok$/),
        expect.stringMatching(/^south4200.*disparity$/),
      ]);
  });

  it('say plainly when the server keeps no inventory (an older declog), and lead to the decisions', async () => {
    const page = await signedIn(keys.auditor, '/decisions');
    await page.route('**/v1/models', (route) =>
      route.fulfill({
        status: 404,
        json: { error: { code: 'route_not_found', message: 'no route GET /v1/models' } },
      }),
    );
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Models' })
      .click();
    await page.locator('[data-inventory="unavailable"]').waitFor();
    await page.getByLabel('Model name').fill('fraud-check');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('[data-analyses="unavailable"]').waitFor();
    await page.getByRole('link', { name: 'Its decisions' }).click();
    await expect.poll(() => rows(page).count()).toBe(10);
  });
});

describe('a phone-width screen', () => {
  it('needs no sideways scrolling of the page (wide tables scroll on their own)', async () => {
    const page = await signedIn(keys.admin, '/decisions', { width: 375 });
    for (const path of [
      '/decisions',
      '/decisions/dec-full',
      '/review',
      '/models',
      `/models/${encodeURIComponent('team/credit scorer 50%')}`,
      '/ledger',
      '/access',
    ]) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expect.poll(() => page.locator('.loading').count()).toBe(0);
      const overflow = await page.evaluate<number>(
        `document.documentElement.scrollWidth - document.documentElement.clientWidth`,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});

describe('accessibility', () => {
  const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const PAGES = [
    '/decisions',
    '/decisions/dec-full',
    '/review',
    '/models',
    `/models/${encodeURIComponent('team/credit scorer 50%')}`,
    '/ledger',
    '/access',
  ];

  for (const scheme of ['light', 'dark'] as const) {
    it(`axe-core finds no serious violation on the main pages (${scheme} theme)`, async () => {
      context = await chromium.context({ colorScheme: scheme, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      const found: string[] = [];
      const check = async (what: string) => {
        await page.addScriptTag({ path: axeSource });
        const result = await page.evaluate(async () => {
          const axe = (globalThis as unknown as { axe: { run(): Promise<AxeResult> } }).axe;
          return axe.run();
        });
        for (const violation of result.violations) {
          if (violation.impact === 'serious' || violation.impact === 'critical') {
            found.push(
              `${what}: ${violation.id} (${violation.help}) at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
            );
          }
        }
      };
      await page.getByLabel('API key').waitFor();
      await check('sign-in');
      await page.getByLabel('API key').fill(keys.admin);
      await page.getByRole('button', { name: 'Sign in' }).click();
      for (const path of PAGES) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await expect.poll(() => page.locator('.loading').count()).toBe(0);
        await check(path);
      }
      expect(found).toEqual([]);
    });
  }
});

interface AxeResult {
  readonly violations: readonly {
    readonly id: string;
    readonly impact: string | null;
    readonly help: string;
    readonly nodes: readonly { readonly target: readonly string[] }[];
  }[];
}
