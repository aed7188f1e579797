// Language server for pbulk.conf and limited_list files (started by the extension over IPC, or
// with --stdio). The features live in ./handlers, one per file; state in ./languageServer.
import { createConnection, ProposedFeatures, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { handlers } from './handlers';
import { LanguageServer } from './languageServer';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
new LanguageServer(connection, documents, handlers);
documents.listen(connection);
connection.listen();
