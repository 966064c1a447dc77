// Every rule's docs page exists, has the sections users look for, and its examples behave as the
// page says: each `incorrect` block is reported by the rule and each `correct` block is not.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../server/src/core';
import { analyse } from './support/ruleTester';

const docsDir = path.resolve(__dirname, '..', 'docs', 'rules');
const REQUIRED_SECTIONS = ['## What it finds', '## Why it hurts in production', '## Incorrect', '## Correct', '## Fixes', '## When not to use it'];

interface Example {
  kind: 'correct' | 'incorrect';
  lang: 'ts' | 'js';
  fileName?: string;
  code: string;
  line: number;
}

/** Fences look like ```ts incorrect or ```js correct fileName=route.js */
export function examplesOf(markdown: string): Example[] {
  const out: Example[] = [];
  const fence = /^```(ts|js)\s+(correct|incorrect)((?:\s+\w+=\S+)*)\s*\n([\s\S]*?)^```/gm;
  for (const match of markdown.matchAll(fence)) {
    const fileName = /fileName=(\S+)/.exec(match[3])?.[1];
    out.push({
      lang: match[1] as 'ts' | 'js',
      kind: match[2] as 'correct' | 'incorrect',
      fileName,
      code: match[4],
      line: markdown.slice(0, match.index).split('\n').length,
    });
  }
  return out;
}

for (const rule of RULES) {
  describe(`docs/rules/${rule.id}.md`, () => {
    const file = path.join(docsDir, `${rule.id}.md`);
    const markdown = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

    it('exists with every section', () => {
      assert.ok(markdown, `${file} is missing`);
      assert.match(markdown, new RegExp(`^# ${rule.id}\\b`, 'm'));
      for (const section of REQUIRED_SECTIONS) assert.ok(markdown.includes(section), `missing "${section}"`);
      for (const title of rule.fixTitles) assert.ok(markdown.includes(title), `fix "${title}" is not documented`);
    });

    const examples = examplesOf(markdown);
    it('has at least one incorrect and one correct example', () => {
      assert.ok(examples.some((e) => e.kind === 'incorrect'));
      assert.ok(examples.some((e) => e.kind === 'correct'));
    });

    for (const example of examples) {
      it(`${example.kind} example at line ${example.line} (${example.lang})`, () => {
        const run = analyse(rule.id, { code: example.code, fileName: example.fileName ?? `example.${example.lang}` });
        try {
          assert.equal(run.skipped, undefined, `example was skipped: ${run.skipped}`);
          if (example.kind === 'incorrect') assert.ok(run.findings.length > 0, 'the incorrect example is not reported');
          else assert.deepEqual(run.findings.map((f) => `${f.startLc.line + 1}: ${f.message}`), [], 'the correct example is reported');
        } finally {
          run.dispose();
        }
      });
    }
  });
}
