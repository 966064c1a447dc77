// The extension manifest (package.json) against the public contract of DESIGN.md, and the
// snippets it contributes against RULES.md: they must be valid snippets, and the code they insert
// must be code the analyser has nothing to say about.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { CLIENT_COMMANDS, SERVER_COMMANDS } from '../client/src/commandIds';
import { RULES } from '../server/src/core';
import { analyse } from './support/ruleTester';

const root = path.resolve(__dirname, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const manifest = readJson('package.json');
const contributes = manifest.contributes ?? {};
const settings: Record<string, any> = contributes.configuration?.properties ?? {};

const SCRIPT_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
const SEVERITIES = ['off', 'hint', 'information', 'warning', 'error'];

describe('manifest: names and commands (DESIGN.md)', () => {
  it('names the extension as the design does', () => {
    assert.equal(manifest.name, 'context-pool-lint');
    assert.equal(manifest.displayName, 'Context & Pool Lint');
    assert.equal(manifest.main, './dist/client.js');
    assert.deepEqual(manifest.categories, ['Linters']);
    assert.equal(manifest.license, 'MIT');
    assert.ok(manifest.repository?.url, 'vsce needs a repository to resolve README links');
  });

  it("describes each rule's setting with the rule's own description (the one SARIF and hovers show)", () => {
    const rules = settings['contextPoolLint.rules']?.properties ?? {};
    for (const rule of RULES) assert.equal(rules[rule.id]?.description, rule.description, rule.id);
  });

  it('contributes the findings tree view, which the client registers under the same id', () => {
    assert.deepEqual(contributes.views?.explorer?.map((v: any) => [v.id, v.name]), [['contextPoolLint.findings', 'Context & Pool Findings']]);
    const client = fs.readFileSync(path.join(root, 'client', 'src', 'findingsTree.ts'), 'utf8');
    assert.match(client, /FINDINGS_VIEW = 'contextPoolLint\.findings'/);
    const welcome = (contributes.viewsWelcome ?? []).find((w: any) => w.view === 'contextPoolLint.findings');
    assert.match(welcome?.contents ?? '', /\(command:contextPoolLint\.scanWorkspace\)/);
  });

  it('contributes every command with its exact title', () => {
    const titles = Object.fromEntries((contributes.commands ?? []).map((c: any) => [c.command, c.title]));
    assert.deepEqual(titles, {
      'contextPoolLint.scanWorkspace': 'Context & Pool Lint: Scan Workspace',
      'contextPoolLint.fixAll': 'Context & Pool Lint: Fix All in File',
      'contextPoolLint.restartServer': 'Context & Pool Lint: Restart Server',
      'contextPoolLint.showOutput': 'Context & Pool Lint: Show Output',
    });
  });

  it('contributes only commands someone handles, and every command the client handles', () => {
    const contributed: string[] = (contributes.commands ?? []).map((c: any) => c.command);
    const handled: string[] = [...Object.values(CLIENT_COMMANDS), ...Object.values(SERVER_COMMANDS)];
    for (const command of contributed) assert.ok(handled.includes(command), `${command} has no handler`);
    for (const command of Object.values(CLIENT_COMMANDS)) assert.ok(contributed.includes(command), `${command} not contributed`);
    // Palette entries for commands that need arguments would fail when picked.
    for (const internal of [SERVER_COMMANDS.applyFixAll, SERVER_COMMANDS.showDocumentation]) {
      if (!contributed.includes(internal)) continue;
      const hidden = (contributes.menus?.commandPalette ?? []).some((m: any) => m.command === internal && m.when === 'false');
      assert.ok(hidden, `${internal} takes arguments and must be hidden from the command palette`);
    }
  });

  it('leaves the server commands to the language client (registering them twice fails)', () => {
    const clientDir = path.join(root, 'client', 'src');
    for (const file of fs.readdirSync(clientDir).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(clientDir, file), 'utf8');
      for (const call of text.matchAll(/registerCommand\(\s*([^,)]+)/g)) {
        const target = call[1]!.trim();
        assert.ok(!target.startsWith('SERVER_COMMANDS'), `${file} registers ${target}`);
        assert.ok(!Object.values(SERVER_COMMANDS).some((id) => target.includes(id)), `${file} registers ${target}`);
      }
    }
  });

  it('declares the fix-all code action kind', () => {
    const kinds = (contributes.codeActions ?? []).flatMap((c: any) => c.actions.map((a: any) => a.kind));
    assert.deepEqual(kinds, ['source.fixAll.contextPoolLint']);
  });
});

describe('manifest: settings (DESIGN.md)', () => {
  it('contributes exactly the settings of the design', () => {
    assert.deepEqual(Object.keys(settings).sort(), [
      'contextPoolLint.exclude',
      'contextPoolLint.rules',
      'contextPoolLint.run',
      'contextPoolLint.safeCalls',
      'contextPoolLint.trace.server',
    ]);
    for (const [key, schema] of Object.entries(settings)) {
      assert.ok(schema.markdownDescription || schema.description, `${key} has no description`);
    }
  });

  it('contextPoolLint.rules: one severity enum per rule, defaulting to warning, open to future rules', () => {
    const rules = settings['contextPoolLint.rules'];
    assert.equal(rules.type, 'object');
    assert.equal(rules.scope, 'resource');
    assert.deepEqual(rules.default, {});
    assert.deepEqual(Object.keys(rules.properties).sort(), RULES.map((r) => r.id).sort());
    for (const [id, schema] of Object.entries<any>(rules.properties)) {
      assert.equal(schema.type, 'string', id);
      assert.deepEqual(schema.enum, SEVERITIES, id);
      assert.equal(schema.default, 'warning', id);
      assert.ok(schema.description || schema.markdownDescription, `${id} has no description`);
    }
    assert.deepEqual(rules.additionalProperties?.enum, SEVERITIES);
  });

  it('contextPoolLint.run: onType or onSave, onType by default', () => {
    const run = settings['contextPoolLint.run'];
    assert.equal(run.type, 'string');
    assert.deepEqual(run.enum, ['onType', 'onSave']);
    assert.equal(run.default, 'onType');
    assert.equal(run.scope, 'resource');
  });

  for (const key of ['contextPoolLint.exclude', 'contextPoolLint.safeCalls']) {
    it(`${key}: a list of strings, empty by default`, () => {
      const schema = settings[key];
      assert.equal(schema.type, 'array');
      assert.equal(schema.items?.type, 'string');
      assert.deepEqual(schema.default, []);
      assert.equal(schema.scope, 'resource');
    });
  }

  it('contextPoolLint.safeCalls explains both forms of entry', () => {
    const text = settings['contextPoolLint.safeCalls'].markdownDescription;
    assert.match(text, /`name`/);
    assert.match(text, /`obj\.method`/);
  });

  it('contextPoolLint.trace.server: off, messages or verbose, named after the client id', () => {
    const trace = settings['contextPoolLint.trace.server'];
    assert.deepEqual(trace.enum, ['off', 'messages', 'verbose']);
    assert.equal(trace.default, 'off');
    // vscode-languageclient reads `<client id>.trace.server`.
    const clientSource = fs.readFileSync(path.join(root, 'client', 'src', 'languageServer.ts'), 'utf8');
    assert.match(clientSource, /const CLIENT_ID = 'contextPoolLint';/);
  });
});

describe('manifest: activation, engine and trust', () => {
  it('activates on TypeScript and JavaScript documents only', () => {
    assert.deepEqual([...manifest.activationEvents].sort(), SCRIPT_LANGUAGES.map((l) => `onLanguage:${l}`).sort());
  });

  it('targets the engine vscode-languageclient requires, which also activates on contributed commands', () => {
    const languageClient = readJson('node_modules/vscode-languageclient/package.json');
    assert.equal(manifest.engines.vscode, languageClient.engines.vscode);
    // Since VS Code 1.74, contributed commands activate their extension without onCommand events.
    const [major, minor] = minimumVersion(manifest.engines.vscode);
    assert.ok(major > 1 || minor >= 74, `engines.vscode ${manifest.engines.vscode} needs explicit onCommand events`);
    // vsce refuses to package when the API types are newer than the engine.
    const [typesMajor, typesMinor] = minimumVersion(readJson('node_modules/@types/vscode/package.json').version);
    assert.ok(typesMajor < major || (typesMajor === major && typesMinor <= minor), '@types/vscode is newer than engines.vscode');
  });

  it('supports untrusted workspaces (it never runs workspace code), not virtual ones', () => {
    assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, true);
    assert.equal(manifest.capabilities?.virtualWorkspaces, false);
  });

  it('has a 128×128 PNG icon and the MIT license', () => {
    assert.equal(manifest.icon, 'icon.png');
    const png = fs.readFileSync(path.join(root, 'icon.png'));
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const license = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
    assert.match(license, /^MIT License/);
    assert.match(license, /Copyright \(c\) 2026 Context & Pool Lint authors/);
  });
});

function minimumVersion(range: string): [number, number] {
  const match = /(\d+)\.(\d+)/.exec(range);
  assert.ok(match, `unreadable version ${range}`);
  return [Number(match[1]), Number(match[2])];
}

// ---------------------------------------------------------------------------------------------
// Snippets

interface SnippetDefinition {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

const SNIPPET_FILES = { typescript: 'snippets/typescript.json', javascript: 'snippets/javascript.json' } as const;

function snippetsOf(file: string): Map<string, SnippetDefinition> {
  const byPrefix = new Map<string, SnippetDefinition>();
  for (const definition of Object.values<SnippetDefinition>(readJson(file))) {
    for (const prefix of [definition.prefix].flat()) byPrefix.set(prefix, definition);
  }
  return byPrefix;
}

/**
 * The text VS Code inserts for a snippet when every placeholder keeps its default: tabstops and
 * mirrors take their placeholder's text, choices their first option. Throws on syntax VS Code
 * would insert literally by mistake (an unclosed `${`) or on variables we don't expect.
 */
export function expandSnippet(body: string): string {
  type Node = string | { index: number; children?: Node[]; choice?: string };
  let pos = 0;
  const parse = (until: string | undefined): Node[] => {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push(text);
      text = '';
    };
    while (pos < body.length) {
      const c = body[pos]!;
      if (c === '\\' && '$}\\'.includes(body[pos + 1] ?? '')) {
        text += body[pos + 1];
        pos += 2;
      } else if (until && c === until) {
        pos++;
        flush();
        return nodes;
      } else if (c === '$') {
        flush();
        nodes.push(parseDollar());
      } else {
        text += c;
        pos++;
      }
    }
    if (until) throw new Error(`unclosed placeholder in ${JSON.stringify(body)}`);
    flush();
    return nodes;
  };
  const parseDollar = (): Node => {
    const simple = /^\$(\d+)/.exec(body.slice(pos));
    if (simple) {
      pos += simple[0].length;
      return { index: Number(simple[1]) };
    }
    const open = /^\$\{(\d+)([:|}])/.exec(body.slice(pos));
    if (!open) throw new Error(`unsupported snippet syntax at ${JSON.stringify(body.slice(pos, pos + 20))}`);
    pos += open[0].length;
    const index = Number(open[1]);
    if (open[2] === '}') return { index };
    if (open[2] === ':') return { index, children: parse('}') };
    const end = body.indexOf('|}', pos);
    if (end < 0) throw new Error('unclosed choice');
    const choice = body.slice(pos, end).split(',')[0]!;
    pos = end + 2;
    return { index, choice };
  };
  const nodes = parse(undefined);
  const defaults = new Map<number, Exclude<Node, string>>();
  const collect = (list: Node[]) => {
    for (const node of list) {
      if (typeof node === 'string') continue;
      if ((node.children || node.choice !== undefined) && !defaults.has(node.index)) defaults.set(node.index, node);
      if (node.children) collect(node.children);
    }
  };
  collect(nodes);
  const render = (list: Node[]): string =>
    list
      .map((node) => {
        if (typeof node === 'string') return node;
        const source = node.children || node.choice !== undefined ? node : defaults.get(node.index);
        if (source === undefined || typeof source === 'string') return '';
        return source.choice ?? render(source.children ?? []);
      })
      .join('');
  return render(nodes);
}

function bodyText(definition: SnippetDefinition, indent = ''): string {
  const lines = [definition.body].flat();
  return lines.map((line, i) => (i === 0 ? line : indent + line)).join('\n');
}

const EXPRESS = "import express from 'express';\nconst app = express();\n";
const PG = "import pg from 'pg';\nconst pool = new pg.Pool();\n";

/** Where each snippet is meant to be typed: the code around it, and the file it is typed in. */
const PLACEMENTS: Record<string, { before: string; after: string; fileName: string }> = {
  'cpl-handler': { before: EXPRESS, after: '\n', fileName: 'server' },
  'cpl-express-handler': { before: EXPRESS, after: '\n', fileName: 'server' },
  'cpl-route-handler': { before: '', after: '\n', fileName: 'route' },
  'cpl-pool-client': {
    before: `${EXPRESS}${PG}app.get('/users', async (req, res) => {\n\t`,
    after: '\n\tres.sendStatus(204);\n});\n',
    fileName: 'server',
  },
  'cpl-pool-transaction': {
    before: `${EXPRESS}${PG}app.post('/orders', async (req, res) => {\n\t`,
    after: '\n\tres.sendStatus(201);\n});\n',
    fileName: 'server',
  },
  'cpl-interval': {
    before: `${EXPRESS}app.get('/events', (req, res) => {\n\tres.writeHead(200, { 'content-type': 'text/event-stream' });\n\t`,
    after: '\n});\n',
    fileName: 'server',
  },
  'cpl-middleware': { before: EXPRESS, after: '\n', fileName: 'server' },
};

/** The hazard a snippet exists to avoid: take its safety out, and the analyser must notice. */
const WITHOUT_SAFETY: Record<string, { rule: string; strip: (code: string) => string }> = {
  'cpl-handler': {
    rule: 'missing-cancellation-signal',
    strip: (code) => code.replace(', { signal: requestAbort.signal }', ''),
  },
  'cpl-route-handler': {
    rule: 'missing-cancellation-signal',
    strip: (code) => code.replace(', { signal: request.signal }', ''),
  },
  'cpl-pool-client': {
    rule: 'pool-resource-leak',
    strip: (code) => code.replace(/try \{\n\t\t([^\n]*)\n\t\} finally \{\n\t\tclient\.release\(\);\n\t\}/, '$1'),
  },
};

/** The text RULES.md 2.2 prescribes for deriving an Express request's cancellation signal. */
const REQUEST_ABORT =
  "const requestAbort = new AbortController(); res.once('close', () => { if (!res.writableFinished) requestAbort.abort(); });";

describe('snippets', () => {
  it('are contributed for TypeScript and JavaScript, including their React variants', () => {
    const referenced = Object.fromEntries((contributes.snippets ?? []).map((s: any) => [s.language, s.path]));
    assert.deepEqual(referenced, {
      typescript: `./${SNIPPET_FILES.typescript}`,
      typescriptreact: `./${SNIPPET_FILES.typescript}`,
      javascript: `./${SNIPPET_FILES.javascript}`,
      javascriptreact: `./${SNIPPET_FILES.javascript}`,
    });
  });

  for (const [language, file] of Object.entries(SNIPPET_FILES)) {
    describe(file, () => {
      const snippets = snippetsOf(file);

      it('parses, and every snippet has a cpl- prefix, a body and a description', () => {
        assert.ok(snippets.size > 0);
        for (const [prefix, definition] of snippets) {
          assert.match(prefix, /^cpl-[a-z-]+$/);
          assert.ok(definition.description?.length > 0, `${prefix} has no description`);
          assert.ok([definition.body].flat().length > 0, `${prefix} has no body`);
          expandSnippet(bodyText(definition));
        }
      });

      it('offers the handler, pool client, interval and middleware snippets', () => {
        for (const prefix of ['cpl-handler', 'cpl-pool-client', 'cpl-interval', 'cpl-middleware']) {
          assert.ok(snippets.has(prefix), `${prefix} missing`);
        }
        assert.deepEqual([...snippets.keys()].sort(), [...snippetsOf(SNIPPET_FILES.typescript).keys()].sort());
      });

      it("derives the request's signal exactly as RULES.md 2.2 writes it", () => {
        const handler = expandSnippet(bodyText(snippets.get('cpl-handler')!)).replace(/\n\t/g, ' ');
        assert.ok(handler.includes(REQUEST_ABORT), handler);
        assert.match(handler, /await fetch\([^)]*\{ signal: requestAbort\.signal \}\)/);
      });

      for (const definition of new Set(snippets.values())) {
        const prefix = [definition.prefix].flat()[0]!;
        const placement = PLACEMENTS[prefix];
        const extension = language === 'typescript' ? '.ts' : '.mjs';
        const analyseCode = (code: string) =>
          analyse(undefined, { code, fileName: placement!.fileName + extension, untyped: language !== 'typescript' });
        const inserted = () => {
          assert.ok(placement, `no placement for ${prefix}: add one to PLACEMENTS`);
          return placement.before + expandSnippet(bodyText(definition, '\t')) + placement.after;
        };

        it(`${prefix}: the code it inserts has no finding${language === 'typescript' ? ' and no type error' : ''}`, () => {
          const code = inserted();
          const run = analyseCode(code);
          try {
            assert.equal(run.skipped, undefined, `skipped: ${run.skipped}\n${code}`);
            assert.deepEqual(run.all.map((f) => `${f.rule} ${f.startLc.line + 1}: ${f.message}`), [], code);
            if (language === 'typescript') {
              const program = run.analyzer.host.program();
              const sourceFile = program.getSourceFile(run.fileName.replace(/\\/g, '/'));
              assert.ok(sourceFile, 'snippet file not in the program');
              const errors = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
              const messages = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
              assert.deepEqual(messages, [], code);
            }
          } finally {
            run.dispose();
          }
        });

        const hazard = WITHOUT_SAFETY[prefix];
        if (!hazard) continue;
        // Proof that "no finding" above means something: without the snippet's safety, the rule fires.
        it(`${prefix}: without its safety, ${hazard.rule} reports it`, () => {
          const code = inserted();
          const unsafe = hazard.strip(code);
          assert.notEqual(unsafe, code, `${prefix}: could not take the safety out`);
          const run = analyseCode(unsafe);
          try {
            assert.equal(run.skipped, undefined, `skipped: ${run.skipped}\n${unsafe}`);
            assert.ok(run.all.some((f) => f.rule === hazard.rule), `${hazard.rule} did not report:\n${unsafe}`);
          } finally {
            run.dispose();
          }
        });
      }
    });
  }
});
