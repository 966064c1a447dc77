import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import picomatch from 'picomatch';
// See listSourceFiles.ts for why tinyglobby is required, not imported.
import tinyglobby = require('tinyglobby');

/**
 * What a workspace scan leaves out besides `contextPoolLint.exclude` (which the analyser applies):
 * files the folder's `.gitignore` files ignore (each read relative to its own folder, as git
 * does), and the editor's `files.exclude` globs (`{ "**​/legacy/**": true }`).
 */
export async function scanExclusions(dir: string, filesExclude: unknown): Promise<(file: string) => boolean> {
  const ignoredByGit = await gitignoreFilter(dir);
  const excludedByEditor = filesExcludeFilter(filesExclude);
  return (file) => {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    return ignoredByGit(file) || excludedByEditor(relative);
  };
}

async function gitignoreFilter(dir: string): Promise<(file: string) => boolean> {
  const files = await tinyglobby.glob(['**/.gitignore'], { cwd: dir, absolute: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] });
  const rules: { base: string; matcher: ReturnType<typeof ignore> }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // unreadable: it ignores nothing
    }
    rules.push({ base: path.dirname(file), matcher: ignore().add(text) });
  }
  if (rules.length === 0) return () => false;
  return (file) =>
    rules.some(({ base, matcher }) => {
      const relative = path.relative(base, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
      return matcher.ignores(relative.split(path.sep).join('/'));
    });
}

/** `files.exclude` as VS Code stores it: glob → true (or a `when` clause, which we can't evaluate). */
function filesExcludeFilter(filesExclude: unknown): (relative: string) => boolean {
  if (!filesExclude || typeof filesExclude !== 'object') return () => false;
  const globs = Object.entries(filesExclude as Record<string, unknown>)
    .filter(([, value]) => value === true)
    .map(([glob]) => glob);
  if (globs.length === 0) return () => false;
  // A folder glob (`**/legacy`) hides everything inside it, as the explorer does.
  const match = picomatch([...globs, ...globs.map((g) => `${g.replace(/\/+$/, '')}/**`)], { dot: true });
  return (relative) => match(relative);
}
