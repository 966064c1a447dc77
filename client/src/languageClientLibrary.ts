// The language client library on its own, bundled as dist/languageClient.js and loaded on first
// use: it is most of the client's code, and VS Code counts the loading of the main module against
// the extension's activation time.
export { CloseAction, ErrorAction, LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
