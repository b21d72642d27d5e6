// Checks that every package the lock file installs runs on the oldest Node the workspace states
// (package.json `engines.node`): npm only warns (EBADENGINE) when one does not, and installs
// it all the same, so a dependency that moved to a newer Node would go unnoticed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

// The repository, or the tree named by the first argument (the tests plant lock files there).
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const stated = manifest.engines?.node;
if (typeof stated !== 'string') {
  console.error('package.json states no engines.node: the Node it runs on is unknown');
  process.exit(1);
}
const oldest = semver.minVersion(stated);
if (oldest === null) {
  console.error(`package.json engines.node ${JSON.stringify(stated)} admits no version`);
  process.exit(1);
}

const refused = [];
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  const wants = entry.engines?.node;
  // Only installed packages: workspace links and the root itself have their own check (above).
  if (path === '' || entry.link === true || typeof wants !== 'string') continue;
  if (!semver.satisfies(oldest, wants, { includePrerelease: true })) {
    const name = path.replace(/^.*node_modules\//, '');
    refused.push(`${name}@${entry.version} needs node ${wants} (${path})`);
  }
}
if (refused.length > 0) {
  console.error(
    `engines: ${refused.length} installed package(s) do not run on node ${oldest.version}, ` +
      `the oldest this workspace states (engines.node ${stated}):`,
  );
  for (const line of refused) console.error(`  ${line}`);
  console.error('pin a version that does (an "overrides" entry), or raise engines.node');
  process.exit(1);
}
console.log(`engines: ok, every installed package runs on node ${oldest.version}`);
