import * as fs from 'node:fs';

/** Files larger than this are not analysed: generated bundles, not hand-written handlers. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A line this long means minified or generated code, where findings and fixes would be noise. */
const MINIFIED_LINE_LENGTH = 5000;

export type ReadResult = { text: string } | { skipped: string };

/** Reads a source file as a person's editor would: BOM-aware, refusing binary and minified files. */
export function readSourceFile(fileName: string): ReadResult {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(fileName);
    if (!stat.isFile()) return { skipped: 'not a regular file' };
    if (stat.size > MAX_FILE_BYTES) return { skipped: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
    bytes = fs.readFileSync(fileName);
  } catch (error) {
    return { skipped: `cannot be read: ${(error as Error).message}` };
  }
  const decoded = decode(bytes);
  if ('skipped' in decoded) return decoded;
  return checkText(decoded.text);
}

/** Applies the same refusals to text that did not come from disk (an editor buffer). */
export function checkText(text: string): ReadResult {
  if (text.length > MAX_FILE_BYTES) return { skipped: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  if (text.includes('\u0000')) return { skipped: 'binary file (contains NUL bytes)' };
  if (looksMinified(text)) return { skipped: `minified or generated code (a line longer than ${MINIFIED_LINE_LENGTH} characters)` };
  return { text };
}

function decode(bytes: Buffer): ReadResult {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le') };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return { text: swapped.toString('utf16le') };
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.subarray(3).toString('utf8') };
  }
  if (bytes.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    // Latin-1 and friends: decode byte for byte so nothing is lost; offsets stay per character.
    return { text: bytes.toString('latin1') };
  }
}

const INLINE_SOURCE_MAP = /^\s*\/\/[#@]\s*sourceMappingURL=data:/;

function looksMinified(text: string): boolean {
  if (text.length <= MINIFIED_LINE_LENGTH) return false;
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline < 0 ? text.length : newline;
    // Compiled code often ends in an inline source map, one long comment line: that line alone
    // says nothing about the code above it.
    if (end - lineStart > MINIFIED_LINE_LENGTH && !INLINE_SOURCE_MAP.test(text.slice(lineStart, lineStart + 64))) return true;
    if (newline < 0) return false;
    lineStart = newline + 1;
  }
}
