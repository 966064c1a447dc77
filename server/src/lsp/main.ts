// The language server's entry point. The transport (--stdio, --node-ipc, --socket=<port>) comes
// from the command line, as vscode-languageclient and other editors pass it.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
