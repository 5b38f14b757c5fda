#!/usr/bin/env node
// Runs every test/**/*.test.ts file with node's own test runner (through tsx), with the interpreter that
// runs this script, so `node24 scripts/run-tests.mjs` tests on Node 24. Extra arguments are passed on.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.test.ts')) files.push(relative(root, full));
  }
})(join(root, 'test'));
files.sort();

const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
console.log(`node ${process.version} (OpenSSL ${process.versions.openssl}): ${selected.length} test files`);
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${Math.max(2, availableParallelism())}`,
    '--test-reporter=spec',
    ...selected,
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
