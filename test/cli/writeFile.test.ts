import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decodeText, encodeText } from '../../server/src/cli/fileEncoding';
import { writeFileAtomic } from '../../server/src/cli/writeFileAtomic';

describe('encodeText', () => {
  it('writes back every encoding the analyser reads, byte for byte', () => {
    const text = 'const greeting = "Grüße";\r\n';
    const files = [
      Buffer.from(text, 'utf8'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
      Buffer.from(text, 'latin1'),
    ];
    for (const bytes of files) {
      const decoded = decodeText(bytes);
      assert.equal(decoded.text, text, decoded.encoding);
      assert.deepEqual(encodeText(decoded.text, decoded.encoding), bytes, decoded.encoding);
    }
  });

  it('refuses text the encoding cannot hold', () => {
    assert.equal(encodeText('const arrow = "→";\n', 'latin1'), undefined);
    assert.equal(encodeText('const broken = "\ud800";\n', 'utf8'), undefined);
    // A text that would read back with a BOM it did not have is not the same text.
    assert.equal(encodeText('\ufeffconst x = 1;\n', 'utf8'), undefined);
  });

  it('accepts a Latin-1 file that became plain ASCII', () => {
    assert.deepEqual(encodeText('const x = 1;\n', 'latin1'), Buffer.from('const x = 1;\n'));
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'context-pool-lint-write-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces the content and leaves no temporary file', () => {
    const file = path.join(dir, 'app.ts');
    fs.writeFileSync(file, 'old\n');
    writeFileAtomic(file, Buffer.from('new\n'), { expectedContent: Buffer.from('old\n') });
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
    assert.deepEqual(fs.readdirSync(dir), ['app.ts']);
  });

  it('keeps the permissions, including the executable bit', { skip: process.platform === 'win32' && 'no POSIX modes' }, () => {
    const file = path.join(dir, 'script.js');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o750);
    writeFileAtomic(file, Buffer.from('new\n'));
    assert.equal(fs.statSync(file).mode & 0o777, 0o750);
  });

  it('writes nothing when the file changed since it was read', () => {
    const file = path.join(dir, 'app.ts');
    fs.writeFileSync(file, 'saved by the editor\n');
    assert.throws(() => writeFileAtomic(file, Buffer.from('fixed\n'), { expectedContent: Buffer.from('old\n') }), /changed on disk/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'saved by the editor\n');
    assert.deepEqual(fs.readdirSync(dir), ['app.ts']);
  });

  it('fails on a missing file without creating it', () => {
    assert.throws(() => writeFileAtomic(path.join(dir, 'gone.ts'), Buffer.from('x')), { code: 'ENOENT' });
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
