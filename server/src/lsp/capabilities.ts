import { CodeActionKind, TextDocumentSyncKind, type ServerCapabilities } from 'vscode-languageserver/node';
import { SOURCE_EXTENSIONS } from '../core';
import { ALL_COMMANDS, FIX_ALL_KIND } from './protocol';

export function serverCapabilities(): ServerCapabilities {
  return {
    // Findings carry UTF-16 positions, LSP's default and the only encoding every client speaks.
    positionEncoding: 'utf-16',
    textDocumentSync: {
      openClose: true,
      change: TextDocumentSyncKind.Incremental,
      save: { includeText: false },
    },
    codeActionProvider: {
      codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND],
      resolveProvider: false,
    },
    executeCommandProvider: { commands: ALL_COMMANDS },
    hoverProvider: true,
    workspace: {
      workspaceFolders: { supported: true, changeNotifications: true },
    },
  };
}

/** Files whose change on disk matters: sources, and the configs that decide how they are typed. */
export const WATCHED_GLOBS = [
  `**/*.{${SOURCE_EXTENSIONS.map((ext) => ext.slice(1)).join(',')}}`,
  '**/{tsconfig,jsconfig}.json',
];
