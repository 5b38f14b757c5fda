// The package's public surface is its `exports` map. These tests import the built package through its own
// name (a package may import itself when `exports` is set), so they see exactly what a user sees.
// They need `dist/`: `npm test` builds it first (pretest); on its own, run `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  type: string;
  sideEffects: boolean;
  engines: { node: string };
  exports: Record<string, string | { types?: string; default?: string }>;
};

// A variable specifier keeps TypeScript from resolving these at type-check time (dist may not exist yet).
const load = (specifier: string): Promise<Record<string, unknown>> => import(specifier);

const distBuilt = existsSync(join(root, 'dist', 'index.js'));
const needsBuild = distBuilt ? false : 'dist/ is missing: run `npm run build` first';

const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');
const specifier = (subpath: string) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
const entry = (subpath: string) => pkg.exports[subpath] as { types?: string; default?: string };

/** Source file behind an export: ./dist/x/y.js -> src/x/y.ts. */
const sourceOf = (subpath: string) =>
  join(root, (entry(subpath).default ?? '').replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));

const TYPES_ONLY = new Set(['./hazmat/asymmetric/types']);

const isClass = (value: unknown) =>
  typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));

describe('package.json', () => {
  test('ESM only, side-effect free, Node >= 20', () => {
    assert.equal(pkg.name, 'coffer');
    assert.equal(pkg.type, 'module');
    assert.equal(pkg.sideEffects, false);
    assert.equal(pkg.engines.node, '>=20');
  });

  test('every export has "types" (first) and "default", both under ./dist/, none into internal/', () => {
    for (const subpath of subpaths) {
      const e = pkg.exports[subpath];
      assert.equal(typeof e, 'object', subpath);
      const conditions = Object.keys(e as object);
      assert.deepEqual(conditions, ['types', 'default'], `${subpath}: "types" must come first`);
      const { types, default: js } = entry(subpath);
      assert.match(types ?? '', /^\.\/dist\/.+\.d\.ts$/, subpath);
      assert.match(js ?? '', /^\.\/dist\/.+\.js$/, subpath);
      assert.equal(
        types?.replace(/\.d\.ts$/, ''),
        js?.replace(/\.js$/, ''),
        `${subpath}: types and code pair up`,
      );
      assert.ok(!/internal|\/src\//.test(`${types} ${js}`), subpath);
      assert.ok(!subpath.includes('internal'), subpath);
    }
  });

  test('no wildcard subpaths (every public module is listed by name)', () => {
    for (const subpath of Object.keys(pkg.exports)) assert.ok(!subpath.includes('*'), subpath);
  });
});

describe('every subpath resolves through the package name', { skip: needsBuild }, () => {
  for (const subpath of subpaths) {
    test(`${specifier(subpath)}`, async () => {
      const { types, default: js } = entry(subpath);
      assert.ok(existsSync(join(root, js ?? '')), `${js} exists`);
      assert.ok(existsSync(join(root, types ?? '')), `${types} exists`);
      const mod = await load(specifier(subpath));
      // A types-only module (pyca's `asymmetric.types`: the key unions) has no runtime exports.
      if (!TYPES_ONLY.has(subpath)) assert.ok(Object.keys(mod).length > 0, 'exports something');
      const resolved = fileURLToPath(import.meta.resolve(specifier(subpath)));
      assert.equal(resolved, resolve(root, js ?? ''), 'resolves to the "default" file in dist');
    });

    test(`${specifier(subpath)}: dist is current (same names as src)`, async () => {
      const built = await load(specifier(subpath));
      const source = await load(sourceOf(subpath));
      assert.deepEqual(
        Object.keys(built).sort(),
        Object.keys(source).sort(),
        'dist/ is stale: run `npm run build`',
      );
    });

    test(`${specifier(subpath)}: the types file declares every runtime export`, async () => {
      const mod = await load(specifier(subpath));
      const declared = declarations(join(root, entry(subpath).types ?? ''));
      const missing = Object.keys(mod).filter((name) => !declared.has(name));
      assert.deepEqual(missing, []);
    });
  }

  test('coffer/package.json is exported', async () => {
    assert.equal(fileURLToPath(import.meta.resolve('coffer/package.json')), join(root, 'package.json'));
  });
});

/** Names a .d.ts file exports, following `export * from './x.js'` (or `.ts`, as tsc leaves it) files. */
function declarations(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file) || !existsSync(file)) return names;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(
    /export\s+(?:declare\s+)?(?:abstract\s+)?(?:class|function|const|let|var|enum)\s+([\w$]+)/g,
  )) {
    if (m[1]) names.add(m[1]);
  }
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/export\s+\*\s+from\s+['"](.+?)['"]/g)) {
    const target = join(dirname(file), (m[1] ?? '').replace(/\.(js|ts)$/, '.d.ts'));
    for (const n of declarations(target, seen)) names.add(n);
  }
  return names;
}

describe('what the root export holds', { skip: needsBuild }, () => {
  /** Recipe classes allowed at the root (STYLE.md: the root holds the recipes and the errors). */
  const RECIPE_CLASSES = new Set([
    'Keyring',
    'Fernet',
    'MultiFernet',
    'HOTP',
    'TOTP',
    'Webhook',
    'MemoryReplayStore',
  ]);
  const HAZMAT_NAMES = [
    'Hash',
    'HashAlgorithm',
    'SHA256',
    'SHAKE128',
    'HMAC',
    'HKDF',
    'HKDFExpand',
    'PBKDF2HMAC',
    'Scrypt',
    'KBKDFHMAC',
    'hash',
    'hmac',
    'hmacVerify',
    'bytesEqual',
    'randomBytes',
    'exportSecretKeyBytes',
    'secretKeyBytes',
    'keyBytes',
  ];

  test('only error classes, recipe functions, recipe classes and constants', async () => {
    const rootModule = await load('coffer');
    const { CofferError } = (await load('coffer/errors')) as { CofferError: new () => Error };
    const odd: string[] = [];
    for (const [name, value] of Object.entries(rootModule)) {
      if (value === CofferError || (typeof value === 'function' && value.prototype instanceof CofferError))
        continue;
      if (typeof value === 'function' && !isClass(value)) continue; // a recipe function
      if (isClass(value) && RECIPE_CLASSES.has(name)) continue;
      if (['number', 'string', 'bigint'].includes(typeof value)) continue; // documented limits
      odd.push(name);
    }
    assert.deepEqual(odd, [], 'unexpected root exports');
  });

  test('no hazmat class, constant object or primitive by name or by identity', async () => {
    const rootModule = await load('coffer');
    for (const name of HAZMAT_NAMES) assert.ok(!(name in rootModule), `root exports ${name}`);
    const rootValues = new Set(Object.values(rootModule));
    for (const subpath of subpaths.filter((s) => s.startsWith('./hazmat/'))) {
      const hazmat = await load(specifier(subpath));
      for (const [name, value] of Object.entries(hazmat)) {
        // A recipe function may live in a hazmat module and be re-exported (randomToken); classes and
        // option objects (Mode, CounterLocation) may not.
        if (typeof value === 'function' && !isClass(value)) continue;
        if (typeof value !== 'object' && typeof value !== 'function') continue;
        assert.ok(!rootValues.has(value), `root re-exports ${subpath}#${name}`);
      }
    }
  });

  test('every error class is at the root, the same objects as coffer/errors', async () => {
    const rootModule = await load('coffer');
    const errorsModule = await load('coffer/errors');
    for (const [name, value] of Object.entries(errorsModule)) {
      if (typeof value !== 'function') continue;
      assert.equal(rootModule[name], value, name);
    }
  });
});

describe('modules hold what their names say', { skip: needsBuild }, () => {
  test('coffer/keys hands out SecretKey, never a way to read its bytes', async () => {
    const keys = await load('coffer/keys');
    assert.ok('SecretKey' in keys);
    for (const name of Object.keys(keys))
      assert.ok(!/bytes|raw|export/i.test(name), `coffer/keys exports ${name}`);
  });

  test('raw key bytes leave only through coffer/hazmat/insecure-export', async () => {
    for (const subpath of subpaths.filter((s) => s !== './hazmat/insecure-export')) {
      const mod = await load(specifier(subpath));
      for (const name of Object.keys(mod)) {
        assert.ok(
          !/^(secretKeyBytes|keyBytes|export\w*Bytes|\w*Cleartext)$/.test(name),
          `${subpath} exports ${name}`,
        );
      }
    }
    const insecure = await load('coffer/hazmat/insecure-export');
    const { SecretKey } = (await load('coffer/keys')) as {
      SecretKey: { fromBytes(b: Uint8Array): unknown };
    };
    const exportBytes = insecure.exportSecretKeyBytes as (k: unknown) => Uint8Array;
    // One SecretKey class across subpaths: a key from coffer/keys works with insecure-export.
    assert.deepEqual(exportBytes(SecretKey.fromBytes(Uint8Array.of(1, 2, 3))), Uint8Array.of(1, 2, 3));
  });

  test('each hazmat module opens with the hazmat warning', () => {
    for (const subpath of subpaths.filter((s) => s.startsWith('./hazmat/'))) {
      const text = readFileSync(sourceOf(subpath), 'utf8');
      const doc = text.slice(0, text.indexOf('*/'));
      assert.match(doc, /\*\*Hazmat\.\*\*/, subpath);
    }
  });

  test('no module exports internal helpers', async () => {
    const internal = [
      'bytes',
      'bytesLike',
      'integer',
      'describeValue',
      'isBytes',
      'concat',
      'u8',
      'digest',
      'isSecretKey',
    ];
    for (const subpath of subpaths) {
      const mod = await load(specifier(subpath));
      for (const name of internal) assert.ok(!(name in mod), `${subpath} exports ${name}`);
    }
  });
});

describe('deep imports are not resolvable', { skip: needsBuild }, () => {
  const DEEP = [
    'coffer/internal/bytes',
    'coffer/internal/bytes.js',
    'coffer/internal/backend.js',
    'coffer/internal/backend.ts',
    'coffer/dist/index.js',
    'coffer/dist/internal/bytes.js',
    'coffer/dist/keys/secret-key.js',
    'coffer/src/index.ts',
    'coffer/src/internal/bytes.ts',
    'coffer/keys/secret-key',
    'coffer/keys/secret-key.js',
    'coffer/formats/encoding',
    'coffer/hazmat',
    'coffer/hazmat/hashes.js',
    'coffer/hazmat/index',
    'coffer/recipes/keyring.js',
    'coffer/errors.js',
    'coffer/index.js',
  ];
  for (const spec of DEEP) {
    test(spec, async () => {
      await assert.rejects(load(spec), (err: unknown) => {
        assert.equal((err as { code?: unknown }).code, 'ERR_PACKAGE_PATH_NOT_EXPORTED', String(err));
        return true;
      });
      assert.throws(() => import.meta.resolve(spec), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
    });
  }
});
