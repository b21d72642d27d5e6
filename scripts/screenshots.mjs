// `npm run screenshots`: refreshes docs/images/dashboard-*.png, the screenshots README.md and
// docs/dashboard.md show. Starts the built declog serve on a throwaway database, fills it with
// the credit-service demo week (examples/credit-service), and photographs the main pages in
// Debian's Chromium ($DECLOG_CHROMIUM to use another). Run `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const images = join(root, 'docs/images');
const work = mkdtempSync(join(tmpdir(), 'declog-screenshots-'));
const key = 'declog-screenshots-admin-key-0123456789';
const env = { ...process.env, DECLOG_ADMIN_KEY: key, DECLOG_API_KEY: key };

const server = spawn(
  process.execPath,
  [
    join(root, 'packages/server/bin/declog.js'),
    'serve',
    '--db',
    join(work, 'demo.db'),
    '--port',
    '0',
  ],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const match = /^declog serving (http:\/\/\S+)/m.exec(out);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`declog serve exited (${code}): ${out}`)));
  });
  const demo = spawnSync(
    process.execPath,
    [
      join(root, 'examples/credit-service/fill-week.mjs'),
      '--url',
      url,
      '--per-day',
      '60',
      '--end',
      '2026-12-07',
    ],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (demo.status !== 0) throw new Error('the demo week could not be logged');

  const browser = await chromium.launch({
    executablePath: process.env.DECLOG_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      colorScheme: 'light',
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('table.decisions tbody tr').first().waitFor();
    mkdirSync(images, { recursive: true });
    const shoot = (name) => page.screenshot({ path: join(images, `dashboard-${name}.png`) });

    await page.goto(`${url}/decisions?limit=20`);
    await page.locator('table.decisions tbody tr').first().waitFor();
    await shoot('decisions');

    const first = await page.locator('table.decisions tbody tr a').first().textContent();
    await page.goto(`${url}/decisions/${encodeURIComponent(first ?? '')}`);
    await page.getByRole('button', { name: 'Pin this key' }).click();
    await page.locator('[data-verified="true"]').waitFor();
    await shoot('decision');

    await page.goto(`${url}/review`);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    await shoot('review');

    await page.goto(`${url}/ledger`);
    await page.getByText('verified with the pinned key').waitFor();
    await shoot('ledger');
    console.log(`screenshots written to ${images}`);
  } finally {
    await browser.close();
  }
} finally {
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
