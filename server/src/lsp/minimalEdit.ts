import type { TextEdit } from '../core';

/**
 * One edit turning `before` into `after`, covering only the part that differs, so the editor keeps
 * the cursor, folds and undo history of the untouched text around a fix-all.
 */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never cut a surrogate pair or a CRLF in half: the client would see a broken character.
  while (prefix > 0 && splitsPair(before, prefix)) prefix--;
  while (suffix > 0 && splitsPair(before, before.length - suffix)) suffix--;
  return { start: prefix, end: before.length - suffix, newText: after.slice(prefix, after.length - suffix) };
}

function splitsPair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const at = text.charCodeAt(offset);
  const surrogates = before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff;
  return surrogates || (before === 13 && at === 10);
}
