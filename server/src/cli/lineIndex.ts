import type { LineCharacter } from '../core';

/**
 * Offset → 0-based line/character for one text, breaking lines exactly where TypeScript does
 * (CR, LF, CRLF, U+2028, U+2029), so positions agree with the ones the analyser computed.
 */
export class LineIndex {
  readonly #lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      if (ch === 0x0d || ch === 0x0a || ch === 0x2028 || ch === 0x2029) this.#lineStarts.push(i + 1);
    }
  }

  locate(offset: number): LineCharacter {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - this.#lineStarts[low]! };
  }
}
