// Which documents and files the extension cares about. The server analyses TypeScript and
// JavaScript only; unsaved (untitled) buffers are analysed too, so a snippet pasted into a scratch
// editor gets feedback before it is saved anywhere.
export const SCRIPT_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

const SCHEMES = ['file', 'untitled'] as const;

/** Usable both as a VS Code and as an LSP document selector. */
export const SCRIPT_DOCUMENTS: { scheme: string; language: string }[] = SCHEMES.flatMap((scheme) =>
  SCRIPT_LANGUAGES.map((language) => ({ scheme, language })),
);

/**
 * Files whose changes on disk can change findings in other files: sources (types flow across
 * imports), compiler configs, and the places settings come from for the CLI and the server.
 */
export const WATCHED_FILE_GLOBS = [
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
  '**/{tsconfig,jsconfig}.json',
  '**/package.json',
  '**/context-pool-lint.json',
];

export function isScriptDocument(document: { languageId: string; uri: { scheme: string } }): boolean {
  return (
    (SCRIPT_LANGUAGES as readonly string[]).includes(document.languageId) &&
    (SCHEMES as readonly string[]).includes(document.uri.scheme)
  );
}
