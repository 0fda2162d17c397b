// Starts `okr lsp` for .okr files. Everything the editor shows about goals
// (diagnostics, hover, completion, formatting) comes from the server, so this
// file only finds the executable and restarts the server when asked.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

function createClient() {
  const command = vscode.workspace.getConfiguration('okr').get('server.path') || 'okr';
  return new LanguageClient(
    'okr',
    'okr language server',
    { command, args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', language: 'okr' },
        { scheme: 'untitled', language: 'okr' },
      ],
    },
  );
}

async function restart() {
  if (client) {
    await client.stop();
  }
  client = createClient();
  await client.start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('okr.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('okr.server.path')) {
        restart();
      }
    }),
  );
  await restart();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
