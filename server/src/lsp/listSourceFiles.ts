// `require`, not `import`: the bundle is CommonJS, and tinyglobby's ES module build pulls in fdir's,
// which calls createRequire(import.meta.url) — undefined in a CommonJS bundle, so the server would
// die on start. The require form makes esbuild pick both packages' CommonJS builds.
import tinyglobby = require('tinyglobby');
import { SOURCE_EXTENSIONS } from '../core';

/** Folders that hold dependencies, build output or tool state, never hand-written server code. */
const SKIPPED_DIRS = ['node_modules', 'dist', 'build', 'out', 'coverage', '.git'];

/** Every TypeScript/JavaScript source file under `dir` (absolute paths, sorted), without declaration files. */
export async function listSourceFiles(dir: string): Promise<string[]> {
  const extensions = SOURCE_EXTENSIONS.map((ext) => ext.slice(1)).join(',');
  const files = await tinyglobby.glob([`**/*.{${extensions}}`], {
    cwd: dir,
    absolute: true,
    dot: false,
    followSymbolicLinks: false,
    ignore: [...SKIPPED_DIRS.map((d) => `**/${d}/**`), '**/*.d.{ts,mts,cts}'],
  });
  return files.sort();
}
