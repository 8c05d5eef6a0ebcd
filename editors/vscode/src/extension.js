// Starts `accord lsp` for .policy files. Everything else (diagnostics, formatting, hover,
// completion, code actions, outline, semantic tokens) comes from the server.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("accord").get("path") || "accord";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "accord",
    "accord language server",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "accord" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.policy") },
    }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
