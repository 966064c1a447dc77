// Command ids. The server's commands are advertised in its `executeCommandProvider` and the
// language client registers them with VS Code; the client's own are registered by this extension.
export { Commands as SERVER_COMMANDS } from '../../server/src/lsp/protocol';

/** Handled by the client. */
export const CLIENT_COMMANDS = {
  fixAll: 'contextPoolLint.fixAll',
  restartServer: 'contextPoolLint.restartServer',
  showOutput: 'contextPoolLint.showOutput',
} as const;
