// Bundles the three programs we ship. Each bundle is self-contained: the .vsix carries no node_modules.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // Maps point into node_modules sources rather than embedding them: the .vsix stays small.
  sourcesContent: false,
  logLevel: 'warning',
};

const builds = [
  // The client's own code is small; the language client library is its own bundle, required on
  // first start (activation time counts the loading of dist/client.js).
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode', './languageClient.js'] },
  { ...common, entryPoints: ['client/src/languageClientLibrary.ts'], outfile: 'dist/languageClient.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  {
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
