// Starts the language server the way the extension does (COMMAND ARGS...) and talks
// to it with vscode-jsonrpc, the transport of vscode-languageclient: initialize, open
// a .pact file, wait for its diagnostics, hover over a name, shut down. Prints a JSON
// summary. Used by tests/editors/test_vscode.py after `npm ci`; not packaged.
//
//   node test/protocol-smoke.js FILE.pact LINE CHARACTER pact lsp
"use strict";

const cp = require("child_process");
const fs = require("fs");
const path = require("path");
const url = require("url");
const rpc = require("vscode-jsonrpc/node");

async function main() {
  const [file, line, character, command, ...args] = process.argv.slice(2);
  const server = cp.spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout),
    new rpc.StreamMessageWriter(server.stdin)
  );
  const uri = url.pathToFileURL(path.resolve(file)).href;
  const diagnostics = new Promise((resolve) => {
    connection.onNotification("textDocument/publishDiagnostics", (params) => {
      if (params.uri === uri) resolve(params.diagnostics);
    });
  });
  connection.listen();
  const init = await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: null,
    capabilities: { general: { positionEncodings: ["utf-16"] } },
  });
  await connection.sendNotification("initialized", {});
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "pact", version: 1, text: fs.readFileSync(file, "utf8") },
  });
  const diags = await diagnostics;
  const hover = await connection.sendRequest("textDocument/hover", {
    textDocument: { uri },
    position: { line: Number(line), character: Number(character) },
  });
  await connection.sendRequest("shutdown");
  await connection.sendNotification("exit");
  connection.dispose();
  console.log(
    JSON.stringify({
      server: init.serverInfo,
      capabilities: Object.keys(init.capabilities).sort(),
      diagnostics: diags.length,
      hover: hover && hover.contents ? hover.contents.value : null,
    })
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
