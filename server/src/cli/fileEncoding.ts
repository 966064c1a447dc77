/**
 * How a source file's bytes became the text the analyser saw, so a fixed text can be written back
 * the same way. Mirrors the analyser's reading rules: a BOM decides (UTF-16 LE/BE, UTF-8), then
 * strict UTF-8, then Latin-1 byte for byte.
 */
export type TextEncodingName = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be' | 'latin1';

export interface DecodedText {
  encoding: TextEncodingName;
  text: string;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const UTF16BE_BOM = Buffer.from([0xfe, 0xff]);

export function decodeText(bytes: Buffer): DecodedText {
  if (startsWith(bytes, UTF16LE_BOM)) return { encoding: 'utf16le', text: bytes.subarray(2).toString('utf16le') };
  if (startsWith(bytes, UTF16BE_BOM)) return { encoding: 'utf16be', text: swapBytes(bytes.subarray(2)).toString('utf16le') };
  if (startsWith(bytes, UTF8_BOM)) return { encoding: 'utf8-bom', text: bytes.subarray(3).toString('utf8') };
  try {
    return { encoding: 'utf8', text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { encoding: 'latin1', text: bytes.toString('latin1') };
  }
}

/**
 * The bytes for `text` in `encoding`, or undefined when the encoding cannot hold it exactly
 * (a character outside Latin-1, an unpaired surrogate in UTF-8): writing it would lose code.
 */
export function encodeText(text: string, encoding: TextEncodingName): Buffer | undefined {
  const bytes = encodeUnchecked(text, encoding);
  // What counts is that the file reads back as this very text (a Latin-1 file that became plain
  // ASCII reads back as UTF-8, and that is fine).
  return decodeText(bytes).text === text ? bytes : undefined;
}

function encodeUnchecked(text: string, encoding: TextEncodingName): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([UTF16LE_BOM, Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([UTF16BE_BOM, swapBytes(Buffer.from(text, 'utf16le'))]);
    case 'latin1':
      return Buffer.from(text, 'latin1');
  }
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

function swapBytes(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  copy.swap16();
  return copy;
}
