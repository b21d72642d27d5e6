import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), or the one $DECLOG_CHROMIUM names. */
export const CHROMIUM_PATH = process.env['DECLOG_CHROMIUM'] ?? '/usr/bin/chromium';

/** Playwright gives each launch a fresh profile folder of its own, removed on close. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ContextOptions {
  readonly colorScheme?: 'light' | 'dark';
  /** Only to inject axe-core, which the dashboard's policy would rightly refuse. */
  readonly bypassCSP?: boolean;
  readonly width?: number;
}

export interface HeadlessChromium {
  /** A fresh context (own storage) whose pages report script errors and policy refusals. */
  context(options?: ContextOptions): Promise<BrowserContext>;
  /** Console errors and page errors so far (a CSP or Trusted Types refusal is one). */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Starts headless Chromium. */
export async function startChromium(): Promise<HeadlessChromium> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
  });
  const problems: string[] = [];
  return {
    problems,
    async context(options = {}) {
      const context = await browser.newContext({
        colorScheme: options.colorScheme ?? 'light',
        bypassCSP: options.bypassCSP ?? false,
        viewport: { width: options.width ?? 1280, height: 900 },
      });
      context.on('page', (page) => {
        page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        page.on('console', (message) => {
          // An API answer of 403 or 404 is logged by the browser too: the pages show those.
          const text = message.text();
          if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
            problems.push(`console: ${text}`);
          }
        });
      });
      return context;
    },
    async close() {
      await browser.close();
    },
  };
}
