// Packages the extension the way a release does (`vsce package`, which builds first through
// `vscode:prepublish`) and checks what the .vsix carries: exactly the files the installed extension
// reads, nothing from the source tree, and bundles that need no node_modules.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBundlesBuilt } from './support/bundles';
import { RULES } from '../server/src/core';

const root = path.resolve(__dirname, '..');
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Every file a .vsix may contain; vsce adds the first two and renames README/LICENSE. */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/icon\.png$/,
  /^extension\/dist\/(client|languageClient|server)\.js(\.map)?$/,
  /^extension\/snippets\/(typescript|javascript)\.json$/,
  /^extension\/docs\/rules\/[a-z]+(-[a-z]+)*\.md$/,
];

const REQUIRED = [
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/icon.png',
  ...['client', 'languageClient', 'server'].flatMap((bundle) => [`extension/dist/${bundle}.js`, `extension/dist/${bundle}.js.map`]),
  'extension/snippets/typescript.json',
  'extension/snippets/javascript.json',
  ...RULES.map((rule) => `extension/docs/rules/${rule.id}.md`),
];

/** Names of the entries of a zip file, read from its central directory. */
export function zipEntryNames(zip: Buffer): string[] {
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  const CENTRAL_FILE_HEADER = 0x02014b50;
  // The end record is 22 bytes plus a comment of at most 64 KiB, so search backwards for it.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  assert.ok(end >= 0, 'not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(offset), CENTRAL_FILE_HEADER, `bad central directory entry ${n}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('vsix package', () => {
  let outDir: string;
  let vsix: string;
  let entries: string[] = [];

  before(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpl-package-'));
    vsix = path.join(outDir, 'context-pool-lint.vsix');
    const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], {
      cwd: root,
      encoding: 'utf8',
      // vsce asks before packaging some problems (a missing LICENSE); an answer of "no" must fail the test.
      input: 'n\n',
    });
    assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}\n${result.stderr}`);
    entries = zipEntryNames(fs.readFileSync(vsix));
  });

  after(() => {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('contains only the files the installed extension reads', (t) => {
    const unexpected = entries.filter((name) => !ALLOWED.some((pattern) => pattern.test(name)));
    assert.deepEqual(unexpected, []);
    t.diagnostic(`${path.basename(vsix)}: ${entries.length} files, ${(fs.statSync(vsix).size / 1024).toFixed(1)} KiB`);
  });

  it('stays under 5 MB (the size the README states is measured here)', () => {
    const megabytes = fs.statSync(vsix).size / 1024 / 1024;
    assert.ok(megabytes < 5, `the .vsix is ${megabytes.toFixed(2)} MB`);
  });

  it('contains every bundle with its source map, the snippets, every rule page, the README and the license', () => {
    const missing = REQUIRED.filter((name) => !entries.includes(name));
    assert.deepEqual(missing, []);
  });

  it('lists no file twice', () => {
    assert.equal(new Set(entries).size, entries.length);
  });
});

describe('client bundle', () => {
  it('requires nothing but vscode, node built-ins and its own lazily loaded library bundle (the .vsix has no node_modules)', () => {
    // The bundle is the one the package step above just built; build it if this test runs alone.
    ensureBundlesBuilt();
    const requiredBy = (file: string) => {
      const text = fs.readFileSync(path.join(root, 'dist', file), 'utf8');
      return { text, required: new Set([...text.matchAll(/(?<![\w$])(?:__)?require\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((m) => m[2]!)) };
    };
    const { text, required } = requiredBy('client.js');
    assert.ok(required.has('vscode'), 'the bundle should require vscode (sanity check of the scan)');
    const builtins = new Set(builtinModules);
    const foreign = (ids: Set<string>) => [...ids].filter((id) => id !== 'vscode' && !builtins.has(id.replace(/^node:/, '')));
    assert.deepEqual(foreign(required), ['./languageClient.js']);
    assert.deepEqual(foreign(requiredBy('languageClient.js').required), []);
    // Activation time counts the loading of client.js: the language client library stays out of it.
    assert.ok(fs.statSync(path.join(root, 'dist', 'client.js')).size < 50_000, 'dist/client.js stays small');
    // A require of a computed name could load anything at run time.
    const dynamic = [...text.matchAll(/(?<![\w$])(?:__)?require\(\s*(?!["'`])([^)]{0,40})/g)].map((m) => m[1]);
    assert.deepEqual(dynamic, []);
  });
});
