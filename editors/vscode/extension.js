// The pactlang extension: .pact files get the TextMate grammar (syntaxes/) and the
// language server started as `pact lsp` (setting pact.server.path, default `pact`).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("pact");
  let command = config.get("server.path", "pact");
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (folder) {
    command = command.replace("${workspaceFolder}", folder.uri.fsPath);
  }
  const args = config.get("server.args", ["lsp"]);
  // No `transport`: the client would add `--stdio`, which `pact lsp` does not take.
  return { command, args, options: { cwd: folder ? folder.uri.fsPath : undefined } };
}

async function start(context) {
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "pact" },
      { scheme: "untitled", language: "pact" },
    ],
  };
  client = new LanguageClient("pact", "pactlang", serverOptions(), clientOptions);
  try {
    await client.start();
  } catch (err) {
    const command = serverOptions().command;
    vscode.window.showErrorMessage(
      `pactlang: cannot start "${command} lsp" (${err && err.message ? err.message : err}). ` +
        "Install it with: pip install 'pactlang[lsp]', or set pact.server.path."
    );
  }
}

async function activate(context) {
  await start(context);
  context.subscriptions.push(
    vscode.commands.registerCommand("pact.restartServer", async () => {
      if (client) {
        await client.stop();
      }
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("pact.server")) {
        await vscode.commands.executeCommand("pact.restartServer");
      }
    })
  );
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
