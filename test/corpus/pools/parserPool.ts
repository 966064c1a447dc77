// Reusable CSV row parsers for the import endpoints. The pool resets parsers on give-back.
import { Router } from 'express';

export class RowParser {
  fields: string[] = [];
  errors: string[] = [];

  parse(line: string): string[] {
    this.fields.length = 0;
    for (const cell of line.split(',')) this.fields.push(cell.trim());
    return this.fields;
  }

  reset(): void {
    this.fields.length = 0;
    this.errors.length = 0;
  }
}

export class ParserPool {
  private readonly idle: RowParser[] = [];

  acquire(): RowParser {
    return this.idle.pop() ?? new RowParser();
  }

  release(parser: RowParser): void {
    parser.reset();
    this.idle.push(parser);
  }
}

const parsers = new ParserPool();
const lastHeaders = new Map<string, string[]>();
export const importsRouter = Router();

// Wrong: the header row stored in the map is the parser's own array, emptied by the next import.
importsRouter.post('/:kind/headers', (req, res) => {
  const parser = parsers.acquire();
  parser.parse(String(req.body.firstLine));
  const headers = parser.fields;
  const count = headers.length;
  lastHeaders.set(req.params.kind, headers); // expect: pooled-object-used-after-release, unbounded-request-store
  parsers.release(parser);
  res.json({ columns: count });
});

// Correct: copied before the parser goes back.
importsRouter.post('/:kind/preview', (req, res) => {
  const parser = parsers.acquire();
  let columns: string[];
  try {
    parser.parse(String(req.body.firstLine));
    columns = [...parser.fields];
  } finally {
    parsers.release(parser);
  }
  res.json({ columns });
});

// Wrong: the errors array is read after the parser was reset and given back.
importsRouter.post('/:kind/validate', (req, res) => {
  const parser = parsers.acquire();
  const lines = String(req.body.csv).split('\n');
  for (const line of lines) {
    if (parser.parse(line).length < 2) parser.errors.push(`short line: ${line.slice(0, 20)}`);
  }
  const errors = parser.errors;
  parsers.release(parser);
  res.json({ ok: errors.length === 0, errors }); // expect: pooled-object-used-after-release
});

export function knownKinds(): string[] {
  return [...lastHeaders.keys()];
}
