import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/free-port.js';
import { useTempDir } from './helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

const tmp = useTempDir('readme-tour');

/** A code block of docs/event-contract.md marked `<!-- test: NAME -->`. */
function documentedBlock(name: string): string {
  const doc = readFileSync(new URL('../docs/event-contract.md', import.meta.url), 'utf8');
  const block = new RegExp(`<!-- test: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(
    doc,
  );
  if (!block?.[1]) throw new Error(`docs/event-contract.md has no block marked ${name}`);
  return block[1];
}

/** The shell block of the README's tour, as written. */
function tourScript(): string {
  const section = README.slice(README.indexOf('## A 60-second tour'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('the README has no shell block in its tour');
  return block;
}

/**
 * The tour's lines as a script for this test: the same commands, on a free port instead of
 * 7300 (other tests may hold it), without those that need an outside PostgreSQL host.
 */
function runnable(script: string, port: number): string {
  return script
    .split('\n')
    .filter((line) => !line.includes('postgres://'))
    .map((line) =>
      line
        .replaceAll(':7300', `:${port}`)
        .replace(/^npx declog serve &/, `npx declog serve --port ${port} &`),
    )
    .join('\n');
}

interface TourRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` with bash -e in `cwd`, with `home` as $HOME and $TMPDIR, then ends whatever it
 * left running (its server).
 */
function runTour(script: string, cwd: string, home: string): Promise<TourRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], {
      cwd,
      detached: true,
      // Only what a new user's shell has: no key or database from the test run's environment.
      env: { PATH: process.env['PATH'] ?? '', HOME: home, TMPDIR: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    let code: number | null = null;
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      code = exitCode;
      try {
        // The server the tour started in the background, if it is still there (it holds the
        // output pipes open).
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
    });
    child.on('close', () => resolve({ code, stdout, stderr }));
  });
}

describe("the README's 60-second tour", () => {
  it('runs as written in a fresh folder, every step answering', async () => {
    const script = tourScript();
    // The line that lost the key: both keys exported on one line.
    expect(script).not.toMatch(/DECLOG_ADMIN_KEY=.*DECLOG_API_KEY=\$DECLOG_ADMIN_KEY/);
    // A fresh folder that holds what a clone does: the examples, and the installed packages.
    const cwd = tmp.file('clone');
    const home = tmp.file('home');
    mkdirSync(cwd);
    mkdirSync(home);
    symlinkSync(`${ROOT}docs`, `${cwd}/docs`);
    symlinkSync(`${ROOT}node_modules`, `${cwd}/node_modules`);
    const port = await freePort();
    const run = await runTour(runnable(script, port), cwd, home);
    const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    expect(run.code, output).toBe(0);
    expect(run.stdout, output).not.toMatch(/unauthori[sz]ed|"error"/i);
    // The POST stored the four example events, as docs/event-contract.md shows the answer.
    const posted = /^\{"results":.*?\]\}/m.exec(run.stdout)?.[0] ?? '';
    expect(JSON.parse(posted), output).toEqual(JSON.parse(documentedBlock('post-results')));
    expect(run.stdout, output).toMatch(/ingested 3 events \(3 created, 0 duplicate\), 0 rejected/);
    expect(run.stdout, output).toMatch(/^signed a checkpoint of the log at size 7, /m);
    expect(run.stdout, output).toMatch(/^ok 7 entries/m);
    expect(run.stdout, output).toMatch(/^ok decision dec-0001: 7 events proven in /m);
    // The evidence went to $TMPDIR; and whatever the tour leaves in the folder it runs in (a
    // clone's root) is ignored by git, so prettier --check and git status stay clean there.
    expect(existsSync(`${home}/evidence.json`)).toBe(true);
    const left = readdirSync(cwd).filter((name) => !['docs', 'node_modules'].includes(name));
    expect(left).toEqual(expect.arrayContaining(['declog.db', 'declog.db.key']));
    expect(left).not.toContain('evidence.json');
    const ignored = spawnSync('git', ['check-ignore', '--no-index', ...left], { cwd: ROOT });
    expect(ignored.stdout.toString().split('\n').filter(Boolean).sort()).toEqual([...left].sort());
  }, 180_000);
});
