#!/usr/bin/env node
// Produces the prebuilt native addon that `npm pack` ships: prebuilds/<platform>-<arch>/coffer.node, so
// that users need no compiler. Build it with the oldest supported Node line (20): the addon uses only
// Node-API 8 and OpenSSL 3.0 functions, which every later line keeps. Then it is checked on each node
// given with --node (e.g. Node 24), and this script fails if any of them cannot load and use it.
//
//   node scripts/prebuild-native.mjs [--node /path/to/node24 ...]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addonWorks, build } from './build-native.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const nodes = [process.execPath];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--node' && process.argv[i + 1] !== undefined) nodes.push(process.argv[++i]);
}

const problem = build();
if (problem !== undefined) {
  console.error(`prebuild: ${problem}`);
  process.exit(1);
}
const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const target = join(dir, 'coffer.node');
mkdirSync(dir, { recursive: true });
copyFileSync(join(root, 'build/Release/coffer.node'), target);
// Symbols are of no use to users and half the file; strip is optional.
spawnSync('strip', ['--strip-unneeded', target], { stdio: 'ignore' });

let failed = false;
for (const node of nodes) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const openssl = addonWorks(target, node);
  console.log(`prebuild: ${target} on node ${version}: ${openssl ?? 'DOES NOT LOAD'}`);
  if (openssl === undefined) failed = true;
}
process.exit(failed ? 1 : 0);
